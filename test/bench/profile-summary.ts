/**
 * Where a CPU profile's time goes (`node --cpu-prof`, or BENCH_PROFILE_DIR with `npm run bench`):
 * `tsx test/bench/profile-summary.ts <file.cpuprofile> [top]` prints self time by package or project folder, and the
 * functions with the most self time. Bench tooling, not part of `npm run bench`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

/** The package (node_modules/<name>) or project folder (service/store, …) a script belongs to. */
export function areaOf(url: string): string {
  if (url === '') return '(native, GC, idle)';
  if (url.startsWith('node:')) return 'node core';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(service|protocol|test|scripts)\/(?:([^/]+)\/)?/.exec(url);
  if (own) return own[2] && !own[2].includes('.') ? `${own[1]}/${own[2]}` : own[1]!;
  return url;
}

/** Self time in ms by area and by function. */
export function summarize(profile: Profile): { totalMs: number; byArea: Map<string, number>; byFunction: Map<string, number> } {
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const hits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const msPerHit = totalMs / Math.max(1, hits);
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * msPerHit;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = functionName === '(idle)' ? '(idle)' : areaOf(url);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(service|protocol)\//, '$1/')}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }
  return { totalMs, byArea, byFunction };
}

const [file, topArg] = process.argv.slice(2);
if (file) {
  const { totalMs, byArea, byFunction } = summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const top = Number(topArg ?? 25);
  const busyMs = totalMs - (byArea.get('(idle)') ?? 0);
  const print = (title: string, entries: Map<string, number>, n: number) => {
    console.log(title);
    for (const [name, ms] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      console.log(`  ${(ms).toFixed(0).padStart(7)} ms ${((100 * ms) / busyMs).toFixed(1).padStart(5)} %  ${name}`);
    }
  };
  console.log(`${file}: ${(totalMs / 1000).toFixed(1)} s profiled, ${(busyMs / 1000).toFixed(1)} s busy (percentages of busy time)`);
  print('by area:', byArea, 20);
  print('by function (self time):', byFunction, top);
}
