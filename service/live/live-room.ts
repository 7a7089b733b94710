// One call's sockets on this instance and its view of the call's presence everywhere, kept by versioned presence changes.
//
// A socket's `hello` must say who is connected on every instance, and no presence change may
// reach it before, twice, or not at all. Each presence change carries a version that follows
// the call's commit order; the room applies changes in version order, starting from the
// snapshot its first socket's announcement returned, and a joining socket gets its `hello` once
// the room has reached the version of its own announcement. Pure state: the hub carries out
// the effects.
import type { Role } from '../domain/credentials.js';
import type { PresenceMessage, PresenceSnapshot } from './live-bus.js';

/** What the room needs to know of a socket. */
export interface RoomMember {
  role: Role;
  connectionId: string;
  /** Version of its own announcement; null until the announcement returned. */
  version: number | null;
}

/** What the hub must do after the room changed. */
export type RoomEffect<S extends RoomMember> =
  | { type: 'presence'; to: S; role: Role; present: boolean }
  | { type: 'replaced'; session: S }
  /** Its connection was withdrawn by someone else (its instance was taken for dead): it must reconnect. */
  | { type: 'evicted'; session: S }
  /** Up to date with its own announcement: send its hello (peers as given), then it receives everything. */
  | { type: 'hello'; session: S; peers: Record<Role, boolean> };

/** The other role of a 1:1 call. */
export const otherRole = (role: Role): Role => (role === 'agent' ? 'client' : 'agent');

/** One call's sockets on this instance (joining, then open) and the call's presence as of `version`. */
export class LiveRoom<S extends RoomMember> {
  /** Sockets that received their hello, one per role. */
  readonly open: Partial<Record<Role, S>> = {};
  /** Sockets announced but not yet greeted. */
  readonly joining = new Set<S>();
  /** The connection holding each role, on any instance. */
  readonly view: Record<Role, string | null> = { agent: null, client: null };
  /** The last presence version applied; null until the first snapshot. */
  #version: number | null = null;
  /** Changes that arrived before the first snapshot. */
  #early: PresenceMessage[] = [];

  constructor(readonly callId: string) {}

  /** Every socket of the room, greeted or not. */
  members(): S[] {
    return [...Object.values(this.open), ...this.joining];
  }

  /** Whether the room holds no socket any more. */
  get empty(): boolean {
    return !this.open.agent && !this.open.client && this.joining.size === 0;
  }

  /** Takes a socket that is about to announce itself. */
  add(session: S): void {
    this.joining.add(session);
  }

  /** Drops a socket (closed or dismissed); its presence is withdrawn separately. */
  remove(session: S): void {
    this.joining.delete(session);
    if (this.open[session.role] === session) delete this.open[session.role];
  }

  /** A socket's announcement returned the call's presence at its version. */
  announced(session: S, snapshot: PresenceSnapshot): RoomEffect<S>[] {
    session.version = snapshot.version;
    if (this.#version !== null) return this.#greet();
    // The first snapshot: changes up to it are in it; later ones that arrived meanwhile are applied on top.
    this.view.agent = snapshot.connections.agent;
    this.view.client = snapshot.connections.client;
    this.#version = snapshot.version;
    const early = this.#early.sort((a, b) => a.version - b.version);
    this.#early = [];
    return [...early.flatMap((change) => this.#apply(change)), ...this.#greet()];
  }

  /** A presence change from the bus. */
  change(change: PresenceMessage): RoomEffect<S>[] {
    if (this.#version === null) {
      this.#early.push(change);
      return [];
    }
    return [...this.#apply(change), ...this.#greet()];
  }

  #apply(change: PresenceMessage): RoomEffect<S>[] {
    if (this.#version !== null && change.version <= this.#version) return [];
    this.#version = change.version;
    const { role, connectionId } = change;
    const effects: RoomEffect<S>[] = [];
    const local = this.open[role];
    const peer = this.open[otherRole(role)];
    if (change.present) {
      const previous = this.view[role];
      this.view[role] = connectionId;
      if (local && local.connectionId !== connectionId) {
        delete this.open[role];
        effects.push({ type: 'replaced', session: local });
      }
      // A new connection of a role, also a replacement: the other side rebuilds its media path whenever it (re)appears.
      if (peer && previous !== connectionId) effects.push({ type: 'presence', to: peer, role, present: true });
    } else if (this.view[role] === connectionId) {
      this.view[role] = null;
      if (peer) effects.push({ type: 'presence', to: peer, role, present: false });
      if (local && local.connectionId === connectionId) {
        delete this.open[role];
        effects.push({ type: 'evicted', session: local });
      }
    }
    return effects;
  }

  /** Greets the joining sockets the room has caught up with; one that lost its role meanwhile is replaced instead. */
  #greet(): RoomEffect<S>[] {
    const effects: RoomEffect<S>[] = [];
    for (const session of this.joining) {
      if (session.version === null || this.#version === null || session.version > this.#version) continue;
      this.joining.delete(session);
      if (this.view[session.role] !== session.connectionId) {
        effects.push({ type: 'replaced', session });
        continue;
      }
      const older = this.open[session.role];
      if (older) effects.push({ type: 'replaced', session: older });
      this.open[session.role] = session;
      effects.push({ type: 'hello', session, peers: { agent: this.view.agent !== null, client: this.view.client !== null } });
    }
    return effects;
  }
}
