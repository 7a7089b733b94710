// The live bus: how the live hubs of the instances sharing one store learn of each other's sockets and messages.
//
// Each hub keeps its own sockets. Whatever must reach the sockets of a call (presence, `call`
// changes, events, relayed signals, revocations) is published on the bus, and every hub that has
// sockets of that call delivers it to them, its own publications included. On PGlite there is one
// process, so the bus is in memory; on PostgreSQL it is LISTEN/NOTIFY (postgres-live-bus.ts).
import type { DirectSignal } from '../../protocol/live.js';
import type { Role } from '../domain/credentials.js';
import type { RecordedEvent } from '../domain/events.js';
import type { ShareRelay } from './share-request.js';

/** A presence change: a socket became its role's connection in a call (present) or left it. Versions order each call's changes. */
export interface PresenceMessage {
  kind: 'presence';
  callId: string;
  role: Role;
  connectionId: string;
  present: boolean;
  version: number;
}

/** A message between hubs, about one call. */
export type BusMessage =
  | PresenceMessage
  /** The call record changed: each hub reads it (messages of different instances may cross; a read never goes back in time). */
  | { kind: 'call'; callId: string }
  | { kind: 'events'; callId: string; events: RecordedEvent[] }
  /** A signal from a role's socket (its connection id: a replaced socket's late signals are dropped). */
  | { kind: 'signal'; callId: string; from: Role; connectionId: string; data: DirectSignal }
  /** "Ask to share screen": the agent's request or the client's answer (share-request.ts), from that role's socket. */
  | { kind: 'share'; callId: string; from: Role; connectionId: string; relay: ShareRelay }
  /** A newer join took the role over: sockets of other sessions must go. */
  | { kind: 'revoke'; callId: string; role: Role; sessionId: string };

/** A socket as the bus records it. */
export interface PresenceEntry {
  callId: string;
  role: Role;
  connectionId: string;
  sessionId: string;
}

/** Which connection holds each role of a call right after a presence change, and that change's version. */
export interface PresenceSnapshot {
  version: number;
  connections: Record<Role, string | null>;
}

/** A message as the bus hands it over: its call at once, the message itself possibly after a read (large ones are stored). */
export interface BusDelivery {
  callId: string;
  /** The message; null when it can no longer be read. */
  message(): Promise<BusMessage | null>;
}

/** What a hub gives the bus. */
export interface BusListener {
  /** Whether this instance has sockets of the call: messages about other calls are skipped. */
  hosts(callId: string): boolean;
  /** Whether a connection is one of this instance's sockets (connected, or still departing). */
  holds(connectionId: string): boolean;
  /** Called in the bus's order (PostgreSQL: commit order of the NOTIFYs, the same on every instance). */
  deliver(delivery: BusDelivery): void;
  /** Presence rows of a crashed instance (or rows this one failed to withdraw) were removed: their departures are this instance's to record. */
  reaped(entries: PresenceEntry[]): void;
  /** This instance may have missed messages (listener connection lost, or taken for dead): its sockets must start over. */
  desynced(reason: string): void;
}

/** Carries presence and messages between the live hubs of the instances sharing a store. */
export interface LiveBus {
  /** This instance's id (in presence rows and logs). */
  readonly instanceId: string;
  /** Whether messages flow (PostgreSQL: the LISTEN connection is up). */
  readonly connected: boolean;
  /** Sets the one listener (the hub). */
  listen(listener: BusListener): void;
  /** Makes a socket its role's connection (a newer socket replaces an older one anywhere) and publishes the change. */
  announce(entry: PresenceEntry): Promise<PresenceSnapshot>;
  /** Removes a socket if it still holds its role, publishing the departure; false when it did not. */
  withdraw(entry: PresenceEntry): Promise<boolean>;
  /** Whether a role of a call has a socket on any instance. */
  present(callId: string, role: Role): Promise<boolean>;
  /** Publishes a message to the hubs hosting its call, this one included. */
  publish(message: Exclude<BusMessage, PresenceMessage>): Promise<void>;
  /** Withdraws this instance's remaining sockets and stops. */
  close(): Promise<void>;
}

/** The bus of a single process (PGlite): presence in memory, messages delivered in publication order on a microtask. */
export class MemoryLiveBus implements LiveBus {
  readonly instanceId = 'local';
  readonly connected = true;
  readonly #presence = new Map<string, Partial<Record<Role, PresenceEntry>>>();
  #version = 0;
  #listener: BusListener | null = null;

  listen(listener: BusListener): void {
    this.#listener = listener;
  }

  async announce(entry: PresenceEntry): Promise<PresenceSnapshot> {
    const call = this.#presence.get(entry.callId) ?? {};
    this.#presence.set(entry.callId, call);
    call[entry.role] = entry;
    const version = ++this.#version;
    this.#emit({ kind: 'presence', callId: entry.callId, role: entry.role, connectionId: entry.connectionId, present: true, version });
    return { version, connections: { agent: call.agent?.connectionId ?? null, client: call.client?.connectionId ?? null } };
  }

  async withdraw(entry: PresenceEntry): Promise<boolean> {
    const call = this.#presence.get(entry.callId);
    if (call?.[entry.role]?.connectionId !== entry.connectionId) return false;
    delete call[entry.role];
    if (!call.agent && !call.client) this.#presence.delete(entry.callId);
    this.#emit({ kind: 'presence', callId: entry.callId, role: entry.role, connectionId: entry.connectionId, present: false, version: ++this.#version });
    return true;
  }

  async present(callId: string, role: Role): Promise<boolean> {
    return !!this.#presence.get(callId)?.[role];
  }

  async publish(message: Exclude<BusMessage, PresenceMessage>): Promise<void> {
    this.#emit(message);
  }

  async close(): Promise<void> {
    this.#presence.clear();
  }

  #emit(message: BusMessage): void {
    // Later, like a NOTIFY: the publisher never runs a listener inside its own call.
    queueMicrotask(() => {
      if (this.#listener?.hosts(message.callId)) this.#listener.deliver({ callId: message.callId, message: () => Promise.resolve(message) });
    });
  }
}
