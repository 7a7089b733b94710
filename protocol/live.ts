// The live socket's wire contract: every message a browser may send, with sizes, and the close codes.
// The service validates each incoming message against these schemas before acting on it or
// relaying it: a peer's data is untrusted even when it is only passed on (a deeply nested
// array once overflowed the stack in JSON.stringify and took the process down).
import { Type, type Static } from 'typebox';
import { CallEventSchema, CallViewSchema, RoleSchema } from './call.js';

/** Close codes of the live socket. */
export const LiveCloseCode = {
  /** The call ended: reconnecting cannot help. */
  callEnded: 4000,
  /** A newer session of the same role took over. */
  replaced: 4001,
  /** The socket broke the protocol (invalid messages, flooding): reconnecting may help once. */
  policyViolation: 4008,
  /** The credentials were refused (expired, revoked by a newer join, or for another call). */
  credentialsRejected: 4401,
  /** The service is shutting down: reconnect (another instance may answer). */
  shuttingDown: 1001,
} as const;

/** Largest message a browser may send, in bytes (UTF-8). */
export const MAX_LIVE_MESSAGE_BYTES = 64 * 1024;
/** Largest SDP accepted in a relayed description. */
export const MAX_SDP_CHARS = 48 * 1024;
/** Largest ICE candidate line. */
export const MAX_CANDIDATE_CHARS = 1024;
/** Longest connection-generation id. */
export const MAX_GENERATION_CHARS = 64;
/** Most entries in a `sources` announcement (a few streams per participant). */
export const MAX_SOURCES = 8;

const Generation = Type.String({ minLength: 1, maxLength: MAX_GENERATION_CHARS, pattern: '^[A-Za-z0-9_-]+$' });
const Source = Type.Union([Type.Literal('camera'), Type.Literal('microphone'), Type.Literal('screen')]);
const ShortText = (maxLength: number) => Type.String({ maxLength });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** An SDP offer or answer (RTCSessionDescriptionInit). */
export const DescriptionSignal = Type.Object({
  kind: Type.Literal('description'),
  generation: Generation,
  description: Type.Object({
    type: Type.Union([Type.Literal('offer'), Type.Literal('answer'), Type.Literal('pranswer'), Type.Literal('rollback')]),
    sdp: Type.Optional(ShortText(MAX_SDP_CHARS)),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

/** An ICE candidate (RTCIceCandidateInit, as `RTCIceCandidate.toJSON()` gives it). */
export const CandidateSignal = Type.Object({
  kind: Type.Literal('candidate'),
  generation: Generation,
  candidate: Type.Object({
    candidate: Type.Optional(ShortText(MAX_CANDIDATE_CHARS)),
    sdpMid: Type.Optional(Nullable(ShortText(64))),
    sdpMLineIndex: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 255 }))),
    usernameFragment: Type.Optional(Nullable(ShortText(256))),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

/** Which local stream carries which source (sent before the tracks, so `ontrack` can tell camera from screen). */
export const SourcesSignal = Type.Object({
  kind: Type.Literal('sources'),
  sources: Type.Record(Type.String({ maxLength: 128 }), Source, { maxProperties: MAX_SOURCES }),
}, { additionalProperties: false });

/** A microphone or camera was muted or unmuted. */
export const MuteSignal = Type.Object({
  kind: Type.Literal('mute'),
  source: Type.Union([Type.Literal('microphone'), Type.Literal('camera')]),
  muted: Type.Boolean(),
}, { additionalProperties: false });

/**
 * This side's connection quality, as it measured it from its own statistics (sent when it
 * changes, so at most one every two seconds; the hub's message rate limit bounds the rest).
 */
export const QualitySignal = Type.Object({
  kind: Type.Literal('quality'),
  level: Type.Union([Type.Literal('good'), Type.Literal('fair'), Type.Literal('poor'), Type.Null()]),
}, { additionalProperties: false });

/** `data` of a direct-mode `signal` message. */
export const DirectSignal = Type.Union([DescriptionSignal, CandidateSignal, SourcesSignal, MuteSignal, QualitySignal]);
/** `data` of a direct-mode `signal` message. */
export type DirectSignal = Static<typeof DirectSignal>;

/** The client's answer to "Ask to share screen": accepted (sharing now), declined, or failed (the browser refused or the picker was cancelled). */
export const ShareAnswer = Type.Union([Type.Literal('accepted'), Type.Literal('declined'), Type.Literal('failed')]);
/** The client's answer to "Ask to share screen". */
export type ShareAnswer = Static<typeof ShareAnswer>;

/** Browser → service messages. */
export const ClientMessage = Type.Union([
  Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('signal'), data: DirectSignal }, { additionalProperties: false }),
  // Fresh credentials for this same session (answered with `credentials`), asked before the current ones expire.
  Type.Object({ type: Type.Literal('renew') }, { additionalProperties: false }),
  // Ask to share screen (service/live/share-request.ts): agent only, one pending per agent socket; relayed to the client.
  Type.Object({ type: Type.Literal('share_request') }, { additionalProperties: false }),
  // The client's answer; accepted only while a request is pending on its socket; relayed to the agent.
  Type.Object({ type: Type.Literal('share_answer'), answer: ShareAnswer }, { additionalProperties: false }),
]);
/** Browser → service messages. */
export type ClientMessage = Static<typeof ClientMessage>;

/** Error codes a live socket may receive in `{type: 'error'}`. */
export const LiveErrorCode = {
  invalidMessage: 'invalid_message',
  messageTooLarge: 'message_too_large',
  rateLimited: 'rate_limited',
  /** A message the sender's role may not send (a client asking to share, an agent answering). */
  notAllowedForRole: 'not_allowed_for_role',
  /** An agent asked to share while its previous request is still unanswered. */
  shareRequestPending: 'share_request_pending',
  /** A share request with no client in the call, or an answer to no request. */
  noShareRequestPeer: 'share_request_no_peer',
} as const;

/** Service → browser messages. `hello` is always the first one on a socket. */
export const ServerMessage = Type.Union([
  Type.Object({ type: Type.Literal('hello'), role: RoleSchema, call: CallViewSchema, peers: Type.Object({ agent: Type.Boolean(), client: Type.Boolean() }) }),
  Type.Object({ type: Type.Literal('call'), call: CallViewSchema }),
  Type.Object({ type: Type.Literal('presence'), role: RoleSchema, present: Type.Boolean() }),
  Type.Object({ type: Type.Literal('event'), event: CallEventSchema }),
  Type.Object({ type: Type.Literal('signal'), from: RoleSchema, data: DirectSignal }),
  Type.Object({ type: Type.Literal('credentials'), credentials: Type.Object({ token: Type.String(), expiresAt: Type.String() }) }),
  Type.Object({ type: Type.Literal('pong') }),
  Type.Object({ type: Type.Literal('share_request') }),
  Type.Object({ type: Type.Literal('share_answer'), answer: ShareAnswer }),
  Type.Object({ type: Type.Literal('error'), code: Type.String(), message: Type.String() }),
]);
/** Service → browser messages. */
export type ServerMessage = Static<typeof ServerMessage>;
