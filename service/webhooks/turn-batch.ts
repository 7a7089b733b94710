// Collects what is added during one event-loop turn and handles it in one call: the outbox worker records the
// webhooks answered in the same turn with one statement, not one each (docs/performance.md).

/** One added item and the caller waiting for its batch. */
interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * `add()` queues an item; once the current turn's I/O callbacks have run (setImmediate), everything queued is handed to
 * `run` at once, and each `add()` settles as that call does. A batch never waits for anything but its own turn: items
 * added while a batch runs go into the next one, which starts without waiting for the first.
 */
export class TurnBatch<T> {
  readonly #run: (items: T[]) => Promise<void>;
  #pending: Pending<T>[] = [];
  #scheduled = false;

  constructor(run: (items: T[]) => Promise<void>) {
    this.#run = run;
  }

  /** Resolves once the batch holding `item` has been handled; rejects with its error. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = [];
    this.#scheduled = false;
    this.#run(batch.map((p) => p.item)).then(
      () => batch.forEach((p) => p.resolve()),
      (err: unknown) => batch.forEach((p) => p.reject(err)),
    );
  }
}
