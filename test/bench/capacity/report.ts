/** How the capacity figures print: each figure beside the bare Fastify app's, as a ratio. */
import type { LoadResult } from './load.js';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (Number.isNaN(n) ? '—' : n < 10 ? `${n.toFixed(2)} ms` : `${n.toFixed(1)} ms`);

/** Throughput as a share of the bare app's. */
export function share(value: number, bare: number): string {
  return bare > 0 ? `${((100 * value) / bare).toFixed(1)} % of bare` : 'bare —';
}

/** A cost as a multiple of the bare app's. */
export function times(value: number, bare: number): string {
  return bare > 0 && !Number.isNaN(value) ? `×${(value / bare).toFixed(1)} bare` : '×— bare';
}

function failures(result: LoadResult): string {
  const entries = Object.entries(result.failures);
  return entries.length === 0 ? '' : `  [not 2xx: ${entries.map(([k, v]) => `${k}×${v}`).join(', ')}]`;
}

/** One line of an HTTP figure: throughput, p50 and p99, each with the bare app's and the ratio. */
export function loadLine(name: string, result: LoadResult, bare: LoadResult | null, unit: string): string {
  const b = bare ?? { perSecond: 0, p50Ms: Number.NaN, p99Ms: Number.NaN };
  return `${name}: ${int(result.perSecond)} ${unit}/s (${share(result.perSecond, b.perSecond)} ${int(b.perSecond)}/s)`
    + `  p50 ${ms(result.p50Ms)} (${times(result.p50Ms, b.p50Ms)} ${ms(b.p50Ms)})`
    + `  p99 ${ms(result.p99Ms)} (${times(result.p99Ms, b.p99Ms)} ${ms(b.p99Ms)})${failures(result)}`;
}

/** Whether a target holds, in words. */
export function verdict(met: boolean): string {
  return met ? 'met' : 'MISSED';
}

export { int, ms };
