// Releasing an ended call's media (LiveKit: DeleteRoom). A room left open keeps people connected
// after the call ended (token expiry ejects nobody), so a failed attempt is never dropped: the next
// one is due in the database (calls.media_release_due_at), where the sweep of any instance finds
// it, after a restart too.
import type { Kysely } from 'kysely';
import { MAX_RELEASE_BACKOFF_MS, type MediaAdapter } from '../media/media-adapter.js';
import type { Database } from '../store/schema.js';
import type { CallsLog } from './calls-ports.js';

/** Ended calls whose media release is retried in one sweep, at most. */
const RELEASE_BATCH = 100;
/** How long the instance that ends a call has for its first release attempt before the sweep may make it instead. */
const FIRST_RELEASE_LEASE_MS = 30_000;

/** The release attempts of ended calls' media, scheduled in the database. */
export class MediaReleases {
  readonly #opts: { db: Kysely<Database>; media: MediaAdapter; log?: CallsLog | undefined; now: () => Date };

  constructor(opts: { db: Kysely<Database>; media: MediaAdapter; log?: CallsLog | undefined; now: () => Date }) {
    this.#opts = opts;
  }

  /**
   * The columns the transaction ending a call sets: its media is due for release, first by this
   * instance at once ({@link release}), by the sweep after FIRST_RELEASE_LEASE_MS if that never happened.
   */
  pendingAtEnd(now: Date): { media_release_due_at?: Date } {
    return this.#opts.media.releaseRetry ? { media_release_due_at: new Date(now.getTime() + FIRST_RELEASE_LEASE_MS) } : {};
  }

  /** Retries releasing the media of ended calls whose last attempt failed (at most RELEASE_BATCH at once). */
  async releaseDue(now: Date): Promise<void> {
    if (!this.#opts.media.releaseRetry) return;
    const due = await this.#opts.db.selectFrom('calls').select(['id', 'media_release_attempts'])
      .where('media_release_due_at', '<=', now).orderBy('media_release_due_at').limit(RELEASE_BATCH).execute();
    await Promise.all(due.map((row) => this.release(row.id, row.media_release_attempts)));
  }

  /**
   * One attempt at releasing an ended call's media (LiveKit: DeleteRoom). A room left open keeps
   * people connected after the call ended, so a failure is never swallowed: the next attempt is
   * due after a doubling delay, in the database, so the sweep of any instance makes it, after a
   * restart too; after maxAttempts it is logged as an error and left.
   */
  async release(callId: string, attemptsBefore: number): Promise<void> {
    const retry = this.#opts.media.releaseRetry;
    if (!retry) return;
    const attempt = attemptsBefore + 1;
    let failure: Error | null = null;
    try {
      await this.#opts.media.releaseCall(callId);
    } catch (err) {
      failure = err as Error;
    }
    const gaveUp = failure !== null && attempt >= retry.maxAttempts;
    const delay = Math.min(retry.initialBackoffMs * 2 ** (attempt - 1), MAX_RELEASE_BACKOFF_MS);
    const dueAt = failure && !gaveUp ? new Date(this.#opts.now().getTime() + delay) : null;
    try {
      await this.#opts.db.updateTable('calls').set({ media_release_due_at: dueAt, media_release_attempts: attempt }).where('id', '=', callId).execute();
    } catch (err) {
      // Still due as it was: the sweep tries again.
      this.#opts.log?.warn({ callId }, `recording the media release of ${callId} failed: ${(err as Error).message}`);
    }
    if (!failure) return;
    if (gaveUp) {
      this.#opts.log?.error({ callId }, `releasing the media of ${callId} gave up after ${attempt} attempts: ${failure.message}; its room stays open until its participants leave`);
    } else {
      this.#opts.log?.warn({ callId }, `releasing the media of ${callId} failed (attempt ${attempt} of ${retry.maxAttempts}, next in ${delay} ms): ${failure.message}`);
    }
  }
}
