// User Timing marks of the join path (`switchboard:<step>` in the page's performance timeline), so
// that a profile or the bench (`npm run bench -- calls`) can split "Join pressed → connected" into
// its steps. One mark per step and page: a step that happens again (a reconnect) keeps its first time.

/** The steps marked, in the order a join usually meets them. */
export type JoinStep =
  | 'join-pressed'
  | 'start'
  | 'live-open'
  | 'hello'
  | 'media-signal-connected'
  | 'media-connected'
  | 'peer-present'
  | 'connected';

/** Marks a step of the join path once per page (no-op where User Timing is missing). */
export function markStep(step: JoinStep): void {
  const name = `switchboard:${step}`;
  try {
    if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
  } catch {
    // No performance timeline (an old browser, a test double): the marks are only for profiling.
  }
}
