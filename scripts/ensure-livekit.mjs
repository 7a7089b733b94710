// Makes sure a LiveKit server binary is at hand for the LiveKit tests and `npm run start:livekit`.
// No LiveKit binary can be downloaded on these machines, but the server is a Go module whose
// go.mod needs no replace lines, so `go install` builds it (a few minutes on 2 cores, once).
// LIVEKIT_SERVER_BIN points at another binary. Run directly, it prints the binary's path.
import { accessSync, constants, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The server version the service and its tests are written against (protocol 17, like livekit-client 2.19+). */
export const LIVEKIT_SERVER_VERSION = '1.13.5';
/** The Go version its go.mod asks for. */
export const MIN_GO = [1, 26];

/**
 * Where the built binary is cached: the user's cache folder, outside the work tree, so every
 * clone on a machine (CI clones afresh each run) shares one build. LIVEKIT_CACHE_DIR overrides.
 */
const cacheRoot = process.env.LIVEKIT_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'switchboard');
/** The cached build's path. */
export const CACHED_LIVEKIT_BIN = join(cacheRoot, `livekit-server-${LIVEKIT_SERVER_VERSION}`, 'server');

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function versionOf(path) {
  try {
    return /version\s+(\S+)/.exec(execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 }))?.[1] ?? null;
  } catch {
    return null;
  }
}

/** The binary to run: LIVEKIT_SERVER_BIN when set, else the cached build; null when neither is usable yet. */
export function findLivekitServer(env = process.env) {
  if (env.LIVEKIT_SERVER_BIN) return executable(env.LIVEKIT_SERVER_BIN) ? env.LIVEKIT_SERVER_BIN : null;
  return executable(CACHED_LIVEKIT_BIN) && versionOf(CACHED_LIVEKIT_BIN) === LIVEKIT_SERVER_VERSION ? CACHED_LIVEKIT_BIN : null;
}

function goVersion() {
  try {
    const raw = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', timeout: 30_000 }).trim();
    const m = /^go(\d+)\.(\d+)/.exec(raw);
    return m ? [Number(m[1]), Number(m[2])] : null;
  } catch {
    return null;
  }
}

/** A one-line explanation of why no binary could be found or built. */
export class LivekitServerMissing extends Error {
  name = 'LivekitServerMissing';
}

/** Returns the binary's path, building it into the cache first when needed (progress on stdio). */
export function ensureLivekitServer(env = process.env) {
  if (env.LIVEKIT_SERVER_BIN) {
    if (executable(env.LIVEKIT_SERVER_BIN)) return env.LIVEKIT_SERVER_BIN;
    throw new LivekitServerMissing(`LIVEKIT_SERVER_BIN=${env.LIVEKIT_SERVER_BIN} is not an executable file; point it at a livekit-server binary or unset it.`);
  }
  const found = findLivekitServer(env);
  if (found) return found;
  const go = goVersion();
  if (!go || go[0] < MIN_GO[0] || (go[0] === MIN_GO[0] && go[1] < MIN_GO[1])) {
    throw new LivekitServerMissing(`The LiveKit tests need livekit-server ${LIVEKIT_SERVER_VERSION}: install Go >= ${MIN_GO.join('.')} (https://go.dev/dl/) or set LIVEKIT_SERVER_BIN, then retry.`);
  }
  const gobin = dirname(CACHED_LIVEKIT_BIN);
  console.log(`Building livekit-server ${LIVEKIT_SERVER_VERSION} into ${gobin} (once; a few minutes)…`);
  execFileSync('go', ['install', '-v', `github.com/livekit/livekit-server/cmd/server@v${LIVEKIT_SERVER_VERSION}`], {
    stdio: 'inherit',
    env: { ...env, GOBIN: gobin },
  });
  if (!existsSync(CACHED_LIVEKIT_BIN) || versionOf(CACHED_LIVEKIT_BIN) !== LIVEKIT_SERVER_VERSION) {
    throw new LivekitServerMissing(`go install finished but ${CACHED_LIVEKIT_BIN} does not report version ${LIVEKIT_SERVER_VERSION}.`);
  }
  return CACHED_LIVEKIT_BIN;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    console.log(ensureLivekitServer());
  } catch (err) {
    console.error(err instanceof LivekitServerMissing ? err.message : `Could not build livekit-server: ${err.message}`);
    process.exit(1);
  }
}
