// The call room's state machine: one pure function, no side effects. The call record lives in
// the state, so any change to it (even only `linkDelivered`) is a new state the UI renders.
import type { CallView, Role } from './types.js';

/** The room's status values (also reflected as the `status` attribute of <call-room>). */
export const RoomStatus = {
  connecting: 'connecting',
  waiting: 'waiting',
  connected: 'connected',
  clientLeft: 'client-left',
  reconnecting: 'reconnecting',
  ending: 'ending',
  ended: 'ended',
  failed: 'failed',
} as const;
/** A status value. */
export type RoomStatus = (typeof RoomStatus)[keyof typeof RoomStatus];

/** Why a call ended, seen from this participant. */
export type EndCause = 'local' | 'remote';

/** Where a participant can be while the call runs (what a reconnect returns to). */
export type SettledStatus = 'waiting' | 'connected' | 'client-left';

/** What dropped while `reconnecting`: the live socket (ends with a new `hello`) or the media path. */
export type ReconnectingVia = 'live' | 'media';

interface Base {
  readonly role: Role;
  /** The call record as last seen (null until the service answered). */
  readonly call: CallView | null;
}

/** The room state, tagged by `status`. */
export type CallState =
  | (Base & { readonly status: 'connecting' })
  | (Base & { readonly status: SettledStatus })
  | (Base & { readonly status: 'reconnecting'; readonly via: ReconnectingVia; readonly resume: SettledStatus })
  /** The agent pressed END CALL and the service has not confirmed yet. */
  | (Base & { readonly status: 'ending' })
  | (Base & { readonly status: 'ended'; readonly cause: EndCause })
  | (Base & { readonly status: 'failed'; readonly code: string; readonly message: string; readonly rejoinable: boolean });

/** What the media path reported, as the state machine needs it. */
export type MediaStateEvent = 'connected' | 'reconnecting' | 'lost';

/** Everything that can happen to the room. */
export type CallStateEvent =
  /** The call record is known (agent: from POST /v1/calls; client: from POST /v1/join). */
  | { type: 'started'; call: CallView }
  /** First message on (re)connect of the live socket. */
  | { type: 'hello'; call: CallView; peers: { agent: boolean; client: boolean } }
  /** The other participant connected or left (from the mode's one presence source). */
  | { type: 'presence'; role: Role; present: boolean }
  /** The call record changed. */
  | { type: 'call-updated'; call: CallView }
  /** The live socket dropped and is retrying. */
  | { type: 'live-reconnecting' }
  /** The live socket closed for good with this close code. */
  | { type: 'live-closed'; code: number }
  /** The media path changed (`lost`: it will not come back by itself). */
  | { type: 'media'; state: MediaStateEvent; code?: string; message?: string }
  /** This participant ended (agent) or left (client) the call. */
  | { type: 'end-requested' }
  /** The agent's end request was answered (or timed out): the call is over here. */
  | { type: 'end-confirmed' }
  /** Something made the call impossible (join refused, media engine missing…). */
  | { type: 'failed'; code: string; message: string; rejoinable?: boolean };

/** Failure codes after which opening the link again cannot help. */
const FINAL_FAILURES: ReadonlySet<string> = new Set([
  'link_invalid', 'link_incomplete', 'link_expired', 'call_ended', 'call_not_found', 'unsupported_browser', 'media_mode_unsupported',
]);

/** The state a room starts in. */
export function initialCallState(role: Role): CallState {
  return { status: 'connecting', role, call: null };
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

/** End reasons after which the agent's room stays open to say why (a Close button closes it): nobody joined. */
const UNANSWERED_END_REASONS: ReadonlySet<string> = new Set(['no_answer', 'expired']);

/** Did the call end by itself before anyone answered (missed, or its link expired)? The agent's room then stays to say so. */
export function isUnanswered(state: CallState): boolean {
  return state.status === 'ended' && state.cause === 'remote' && UNANSWERED_END_REASONS.has(state.call?.endReason ?? '');
}

/** Client: the call is open but the agent's connection is gone (the service waits a grace period for them). */
export function isAgentAway(state: CallState): boolean {
  return state.role === 'client' && !isTerminal(state) && !!state.call?.agentAwaySince;
}

/** Is the other participant in the call? */
export function isPeerPresent(state: CallState): boolean {
  return state.status === 'connected' || (state.status === 'reconnecting' && state.resume === 'connected');
}

/**
 * Can this participant try again from the same link or credentials (a Rejoin button)? Also a
 * client who pressed LEAVE: the call may still be open (if the agent ended it meanwhile, the
 * link says so on Rejoin). Not after the agent ended the call (`cause: 'remote'`).
 */
export function canRejoin(state: CallState): boolean {
  if (state.status === 'ended') return state.role === 'client' && state.cause === 'local';
  return state.status === 'failed' && state.rejoinable;
}

/** The pure transition function. Terminal states absorb every event. */
export function transition(state: CallState, event: CallStateEvent): CallState {
  if (isTerminal(state)) return state;
  const { role } = state;
  const call = 'call' in event ? event.call : state.call;
  switch (event.type) {
    case 'started':
      return { ...state, call };
    case 'hello':
      if (event.call.status === 'ended') return ended(state, call);
      if (state.status === 'ending') return { ...state, call };
      return { status: settledFrom(role, event.call, event.peers[otherRole(role)]), role, call };
    case 'presence': {
      if (event.role === role || state.status === 'ending' || state.status === 'connecting') return state;
      const next: SettledStatus = event.present ? 'connected' : role === 'agent' ? 'client-left' : 'waiting';
      if (state.status === 'reconnecting') return { ...state, resume: next };
      return { status: next, role, call };
    }
    case 'call-updated':
      return event.call.status === 'ended' ? ended(state, call) : { ...state, call };
    case 'live-reconnecting':
      return reconnecting(state, 'live');
    case 'live-closed':
      return closedState(state, event.code);
    case 'media':
      return mediaChanged(state, event);
    case 'end-requested':
      return role === 'agent' && state.call ? { status: 'ending', role, call } : { status: 'ended', role, call, cause: 'local' };
    case 'end-confirmed':
      return { status: 'ended', role, call, cause: 'local' };
    case 'failed':
      return failed(state, event.code, event.message, event.rejoinable);
  }
}

function settledFrom(role: Role, call: CallView, peerPresent: boolean): SettledStatus {
  if (peerPresent) return 'connected';
  return role === 'agent' && call.status === 'client_left' ? 'client-left' : 'waiting';
}

function ended(state: CallState, call: CallView | null): CallState {
  return { status: 'ended', role: state.role, call, cause: state.status === 'ending' ? 'local' : 'remote' };
}

function failed(state: CallState, code: string, message: string, rejoinable?: boolean): CallState {
  return { status: 'failed', role: state.role, call: state.call, code, message, rejoinable: rejoinable ?? !FINAL_FAILURES.has(code) };
}

function reconnecting(state: CallState, via: ReconnectingVia): CallState {
  if (state.status === 'reconnecting') return state.via === via ? state : { ...state, via };
  if (state.status !== 'waiting' && state.status !== 'connected' && state.status !== 'client-left') return state;
  return { status: 'reconnecting', role: state.role, call: state.call, via, resume: state.status };
}

function mediaChanged(state: CallState, event: { state: MediaStateEvent; code?: string; message?: string }): CallState {
  switch (event.state) {
    case 'reconnecting':
      return reconnecting(state, 'media');
    case 'connected':
      return state.status === 'reconnecting' && state.via === 'media' ? { status: state.resume, role: state.role, call: state.call } : state;
    case 'lost':
      if (state.status === 'ending') return { status: 'ended', role: state.role, call: state.call, cause: 'local' };
      return failed(state, event.code ?? 'media_lost', event.message ?? 'the media connection was lost', true);
  }
}

function closedState(state: CallState, code: number): CallState {
  switch (code) {
    case 4000:
      return ended(state, state.call);
    case 4001:
      return failed(state, 'replaced', 'replaced by a newer session', true);
    case 4401:
      return failed(state, 'credentials_rejected', 'credentials rejected', true);
    default:
      return failed(state, 'network_error', `live connection closed (${code})`, true);
  }
}
