// When to try a failed webhook again: the Standard Webhooks schedule, jittered, stretched by the receiver's Retry-After.

/** The Standard Webhooks retry guidance: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after the first attempt (≈ 28 h). */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

/** Each delay is moved by up to ±20 %, so rows that failed together (a receiver outage) do not retry in lockstep. */
export const RETRY_JITTER_RATIO = 0.2;

/** A Retry-After longer than this is cut to it: a receiver cannot park a row for weeks. */
export const RETRY_AFTER_MAX_MS = 24 * 60 * 60 * 1000;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses `5s,5m,30m,2h` (units ms, s, m, h, d) into milliseconds; throws an Error saying what is wrong. */
export function parseRetrySchedule(text: string): number[] {
  const entries = text.split(',').map((e) => e.trim());
  if (entries.length === 0 || entries.length > 20) throw new Error('must list 1 to 20 delays');
  return entries.map((entry) => {
    const match = /^(\d+)(ms|s|m|h|d)$/.exec(entry);
    if (!match) throw new Error(`"${entry}" is not a duration like 5s, 5m, 2h`);
    const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    if (ms < 1 || ms > 7 * UNIT_MS.d) throw new Error(`"${entry}" must be between 1ms and 7d`);
    return ms;
  });
}

/**
 * The wait before the next attempt after `attempts` attempts have failed, or null when the schedule is used up
 * (the row is then given up). `retryAfterMs`, when the receiver sent one, wins if it asks for a longer wait.
 */
export function retryDelayMs(schedule: readonly number[], attempts: number, retryAfterMs: number | null, random: () => number = Math.random): number | null {
  const base = schedule[attempts - 1];
  if (base === undefined) return null;
  const jittered = Math.max(1, Math.round(base * (1 + RETRY_JITTER_RATIO * (2 * random() - 1))));
  return retryAfterMs !== null && retryAfterMs > jittered ? retryAfterMs : jittered;
}

/** Reads a Retry-After header (delay-seconds or HTTP-date) as milliseconds from `now`, capped; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: Date = new Date()): number | null {
  const value = header?.trim();
  if (!value) return null;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return null;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(0, ms), RETRY_AFTER_MAX_MS);
}
