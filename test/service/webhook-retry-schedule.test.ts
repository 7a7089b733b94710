import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RETRY_SCHEDULE, parseRetryAfter, parseRetrySchedule, RETRY_AFTER_MAX_MS, retryDelayMs } from '../../service/webhooks/retry-schedule.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

test('the default schedule is the Standard Webhooks one: 7 retries over about 28 hours', () => {
  const schedule = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE);
  assert.deepEqual(schedule, [5000, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
  const total = schedule.reduce((a, b) => a + b, 0);
  assert.ok(total > 27 * HOUR && total < 29 * HOUR);
});

test('a schedule entry that is not a duration is refused with the entry named', () => {
  assert.throws(() => parseRetrySchedule('5s,later'), /"later"/);
  assert.throws(() => parseRetrySchedule(''), /not a duration/);
  assert.throws(() => parseRetrySchedule('8d'), /between/);
});

test('each delay is jittered by at most ±20 %, and the row is given up after the last entry', () => {
  const schedule = [1000, 60_000];
  assert.equal(retryDelayMs(schedule, 1, null, () => 0), 800);
  assert.equal(retryDelayMs(schedule, 1, null, () => 1), 1200);
  assert.equal(retryDelayMs(schedule, 2, null, () => 0.5), 60_000);
  for (let i = 0; i < 200; i++) {
    const d = retryDelayMs(schedule, 2, null)!;
    assert.ok(d >= 48_000 && d <= 72_000, `${d}`);
  }
  assert.equal(retryDelayMs(schedule, 3, null), null);
});

test('Retry-After wins only when it asks for a longer wait than the schedule', () => {
  assert.equal(retryDelayMs([1000], 1, 30_000, () => 0.5), 30_000);
  assert.equal(retryDelayMs([60_000], 1, 1000, () => 0.5), 60_000);
  assert.equal(retryDelayMs([1000], 2, 30_000), null, 'a Retry-After does not extend the schedule');
});

test('Retry-After is read as seconds or an HTTP date, capped at 24 h, and ignored when unreadable', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Mon, 31 Dec 2029 23:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('99999999', now), RETRY_AFTER_MAX_MS);
  assert.equal(parseRetryAfter('soon', now), null);
  assert.equal(parseRetryAfter(null, now), null);
});
