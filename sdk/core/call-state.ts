// The call room's state machine: one pure function, no side effects.
import type { CallView, Role } from './types.js';

/** The room's status values (also reflected as the `status` attribute of <call-room>). */
export const RoomStatus = {
  connecting: 'connecting',
  waiting: 'waiting',
  connected: 'connected',
  clientLeft: 'client-left',
  reconnecting: 'reconnecting',
  ended: 'ended',
  failed: 'failed',
} as const;
/** A status value. */
export type RoomStatus = (typeof RoomStatus)[keyof typeof RoomStatus];

/** Why a call ended, seen from this participant. */
export type EndCause = 'local' | 'remote';

/** The room state, tagged by `status`. */
export type CallState =
  | { readonly status: 'connecting'; readonly role: Role }
  | { readonly status: 'waiting'; readonly role: Role }
  | { readonly status: 'connected'; readonly role: Role }
  | { readonly status: 'client-left'; readonly role: Role }
  | { readonly status: 'reconnecting'; readonly role: Role }
  | { readonly status: 'ended'; readonly role: Role; readonly cause: EndCause }
  | { readonly status: 'failed'; readonly role: Role; readonly code: string; readonly message: string };

/** Everything that can happen to the room. */
export type CallStateEvent =
  /** First message on (re)connect of the live socket. */
  | { type: 'hello'; call: CallView; peers: { agent: boolean; client: boolean } }
  /** The other participant connected or left. */
  | { type: 'presence'; role: Role; present: boolean }
  /** The call record changed. */
  | { type: 'call-updated'; call: CallView }
  /** The live socket dropped and is retrying. */
  | { type: 'live-reconnecting' }
  /** The live socket closed for good with this close code. */
  | { type: 'live-closed'; code: number }
  /** This participant ended (agent) or left (client) the call. */
  | { type: 'end-requested' }
  /** Something made the call impossible (join refused, media engine missing…). */
  | { type: 'failed'; code: string; message: string };

/** The state a room starts in. */
export function initialCallState(role: Role): CallState {
  return { status: 'connecting', role };
}

/** The other participant's role. */
export function otherRole(role: Role): Role {
  return role === 'agent' ? 'client' : 'agent';
}

/** Is this state final (nothing leaves it)? */
export function isTerminal(state: CallState): boolean {
  return state.status === 'ended' || state.status === 'failed';
}

/** Should the ringtone play? Only for the agent while nobody has joined. */
export function isRinging(state: CallState): boolean {
  return state.role === 'agent' && state.status === 'waiting';
}

/** Is the other participant in the call? */
export function isPeerPresent(state: CallState): boolean {
  return state.status === 'connected';
}

/** The pure transition function. Terminal states absorb every event. */
export function transition(state: CallState, event: CallStateEvent): CallState {
  if (isTerminal(state)) return state;
  const { role } = state;
  switch (event.type) {
    case 'hello': {
      if (event.call.status === 'ended') return { status: 'ended', role, cause: 'remote' };
      if (event.peers[otherRole(role)]) return { status: 'connected', role };
      if (role === 'agent' && event.call.status === 'client_left') return { status: 'client-left', role };
      return { status: 'waiting', role };
    }
    case 'presence': {
      if (event.role === role) return state;
      if (event.present) return { status: 'connected', role };
      return role === 'agent' ? { status: 'client-left', role } : { status: 'waiting', role };
    }
    case 'call-updated':
      return event.call.status === 'ended' ? { status: 'ended', role, cause: 'remote' } : state;
    case 'live-reconnecting':
      return state.status === 'connecting' ? state : { status: 'reconnecting', role };
    case 'live-closed':
      return closedState(role, event.code);
    case 'end-requested':
      return { status: 'ended', role, cause: 'local' };
    case 'failed':
      return { status: 'failed', role, code: event.code, message: event.message };
  }
}

function closedState(role: Role, code: number): CallState {
  switch (code) {
    case 4000:
      return { status: 'ended', role, cause: 'remote' };
    case 4001:
      return { status: 'failed', role, code: 'replaced', message: 'replaced by a newer session' };
    case 4401:
      return { status: 'failed', role, code: 'credentials_rejected', message: 'credentials rejected' };
    default:
      return { status: 'failed', role, code: 'network_error', message: `live connection closed (${code})` };
  }
}
