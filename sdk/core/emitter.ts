/** A listener map: event name → payload type. */
export type EventMap = object;

/** A tiny typed event emitter; `on` returns the function that unsubscribes. */
export class Emitter<E extends EventMap> {
  readonly #listeners = new Map<keyof E, Set<(payload: never) => void>>();

  /** Subscribes to `type`; returns the unsubscribe function. */
  on<K extends keyof E>(type: K, listener: (payload: E[K]) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Calls every listener of `type`; a throwing listener does not stop the others. */
  emit<K extends keyof E>(type: K, payload: E[K]): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        (listener as (payload: E[K]) => void)(payload);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Drops every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
