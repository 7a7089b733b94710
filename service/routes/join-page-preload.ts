// What the hosted join page preloads (<link rel="modulepreload">) so that the browser fetches and
// compiles the call's code while the page starts, instead of one import after another: the bundle's
// first load and the <call-room> chunk, and in LiveKit mode the LiveKit chunk (a LiveKit-mode
// service's calls all need it). The files come from dist/preload.json, which the rollup build
// writes (rollup.config.mjs): chunk names carry a content hash that changes with every build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The manifest's shape: dist/-relative files of each part of the bundle. */
interface PreloadManifest {
  entry: string[];
  callRoom: string[];
  livekit: string[];
}

/** A file name the manifest may hold (dist/-relative, no climbing out, JavaScript). */
const FILE = /^(?:[\w-]+\/)*[\w.-]+\.js$/;

function files(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((file) => typeof file === 'string' && FILE.test(file) && !file.includes('..')) ? (value as string[]) : null;
}

/**
 * The URLs (under /sdk/) the join page preloads, read once from `<sdkDir>/preload.json`; null when
 * the manifest is missing or malformed (a bundle built without it: the page then works, only without preloads).
 */
export function readJoinPagePreloads(sdkDir: string, livekit: boolean): string[] | null {
  let manifest: Partial<PreloadManifest>;
  try {
    manifest = JSON.parse(readFileSync(join(sdkDir, 'preload.json'), 'utf8')) as Partial<PreloadManifest>;
  } catch {
    return null;
  }
  const parts = [files(manifest.entry), files(manifest.callRoom), livekit ? files(manifest.livekit) : []];
  if (parts.some((part) => part === null)) return null;
  return parts.flatMap((part) => part!).map((file) => `/sdk/${file}`);
}
