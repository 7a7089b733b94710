// The REST wire contract, once: the call view, credentials (media union of both modes), the
// request bodies and the event names. The service validates with these schemas; the SDK
// imports their types only (zero bytes in the bundle; lint enforces it).
import { Type, type Static } from 'typebox';
import { SafeString } from './text.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** A participant's role in a call. */
export const RoleSchema = Type.Union([Type.Literal('agent'), Type.Literal('client')]);
/** A participant's role in a call. */
export type Role = Static<typeof RoleSchema>;

/** What a call carries besides screen sharing. */
export const CallMediaSchema = Type.Union([Type.Literal('audio'), Type.Literal('video')]);
/** What a call carries besides screen sharing. */
export type CallMedia = Static<typeof CallMediaSchema>;

/** A media source as named on the wire. */
export const TrackSourceSchema = Type.Union([Type.Literal('camera'), Type.Literal('microphone'), Type.Literal('screen')]);
/** A media source as named on the wire. */
export type TrackSource = Static<typeof TrackSourceSchema>;

/** A call as the REST API and the live socket show it. */
export const CallViewSchema = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  conversationId: Type.String(),
  clientId: Type.String(),
  clientName: Nullable(Type.String()),
  agentId: Type.String(),
  agentName: Type.String(),
  media: CallMediaSchema,
  status: Type.Union([Type.Literal('created'), Type.Literal('ringing'), Type.Literal('active'), Type.Literal('client_left'), Type.Literal('ended')]),
  linkDelivered: Type.Boolean(),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  endedAt: Nullable(Type.String()),
  endedBy: Nullable(Type.Union([Type.Literal('agent'), Type.Literal('client'), Type.Literal('system'), Type.Literal('api')])),
  /** Why it ended (see EndReason for the service's own reasons; an integrator's `POST /v1/calls/:id/end` may give another). */
  endReason: Nullable(Type.String()),
  /** Since when the agent's live connection is gone while the call is open (null: connected); after the grace the call ends `agent_left`. */
  agentAwaySince: Nullable(Type.String()),
  /** When the latest invite went out (the creation, or the last "send the link again"); the ring timeout counts from it. */
  invitedAt: Type.String(),
});
/** A call as the REST API and the live socket show it. */
export type CallView = Static<typeof CallViewSchema>;

/** One RTCIceServer. */
export const IceServerSchema = Type.Object({
  urls: Type.Union([Type.String(), Type.Array(Type.String())]),
  username: Type.Optional(Type.String()),
  credential: Type.Optional(Type.String()),
});

/** Media transport settings: peer-to-peer ICE servers, or a LiveKit server and a room token for this session. */
export const MediaSettingsSchema = Type.Union([
  Type.Object({ mode: Type.Literal('direct'), iceServers: Type.Array(IceServerSchema) }),
  Type.Object({ mode: Type.Literal('livekit'), url: Type.String(), token: Type.String() }),
]);
/** Media transport settings handed out with the credentials. */
export type MediaSettings = Static<typeof MediaSettingsSchema>;

/** What a participant needs to take part in a call. */
export const CredentialsSchema = Type.Object({
  role: RoleSchema,
  /** Call credentials (JWT): REST `Authorization: Bearer`, and the live socket's second subprotocol. */
  token: Type.String(),
  expiresAt: Type.String(),
  /** ws(s)://…/v1/calls/:id/live */
  liveUrl: Type.String(),
  media: MediaSettingsSchema,
});
/** What a participant needs to take part in a call. */
export type Credentials = Static<typeof CredentialsSchema>;

/** Body of `POST /v1/calls`. */
export const CreateCallBody = Type.Object({ media: Type.Optional(CallMediaSchema) });
/** Body of `POST /v1/calls`. */
export type CreateCallBody = Static<typeof CreateCallBody>;

/** Answer of `POST /v1/calls` when it made a call (201). */
export const CreatedCallSchema = Type.Object({ call: CallViewSchema, credentials: CredentialsSchema, joinUrl: Type.String() });
/** Answer of `POST /v1/calls` when the conversation already had an open call (200). */
export const ExistingCallSchema = Type.Object({ call: CallViewSchema, credentials: CredentialsSchema, joinUrl: Type.Null() });
/** Answer of `POST /v1/calls`: `joinUrl` is null when a call was already open. */
export type CreateCallResult = Static<typeof CreatedCallSchema> | Static<typeof ExistingCallSchema>;

/** Body of `POST /v1/join`: the link's call id and the secret from its fragment. */
export const JoinBody = Type.Object({
  callId: SafeString({ minLength: 1, maxLength: 128 }),
  secret: SafeString({ minLength: 1, maxLength: 256 }),
});
/** Answer of `POST /v1/join`. */
export const JoinResultSchema = Type.Object({ call: CallViewSchema, credentials: CredentialsSchema });
/** Answer of `POST /v1/join`. */
export type JoinResult = Static<typeof JoinResultSchema>;

/** Body of `POST /v1/calls/:id/end`. */
export const EndCallBody = Type.Object({ reason: Type.Optional(SafeString({ minLength: 1, maxLength: 200 })) });

/** Body of `POST /v1/calls/:id/events`: a fact a participant's browser reports. */
export const ClientEventBody = Type.Object({
  // client_prejoin: the client is on the pre-join screen (checking camera and microphone), not in the call yet.
  type: Type.Union([Type.Literal('screen_share_started'), Type.Literal('screen_share_stopped'), Type.Literal('media_blocked'), Type.Literal('client_prejoin')]),
  device: Type.Optional(TrackSourceSchema),
  reason: Type.Optional(SafeString({ maxLength: 200 })),
});
/** Body of `POST /v1/calls/:id/events`. */
export type ClientEventBody = Static<typeof ClientEventBody>;

/** The one event vocabulary: timeline, live socket and webhooks. */
export const EventType = {
  created: 'call.created',
  invite: 'call.invite',
  linkOpened: 'call.link_opened',
  clientPrejoin: 'call.client_prejoin',
  clientJoined: 'call.client_joined',
  clientLeft: 'call.client_left',
  screenShareStarted: 'call.screen_share_started',
  screenShareStopped: 'call.screen_share_stopped',
  mediaBlocked: 'call.media_blocked',
  ended: 'call.ended',
} as const;
/** One event type. */
export type EventType = (typeof EventType)[keyof typeof EventType];

/**
 * The end reasons the service itself gives (`call.ended` data.reason, CallView.endReason); stable, hosts render them.
 * `no_answer` is a missed call: nobody joined within the ring timeout.
 */
export const EndReason = {
  /** The agent pressed END CALL. */
  endedByAgent: 'ended_by_agent',
  /** An integrator ended it by API without a reason of its own. */
  endedByApi: 'ended_by_api',
  /** Missed: nobody joined within the ring timeout (counted from the latest invite). */
  noAnswer: 'no_answer',
  /** The join link expired (LINK_TTL_SECONDS). */
  expired: 'expired',
  /** The agent's live connection was gone longer than AGENT_GRACE_SECONDS. */
  agentLeft: 'agent_left',
  /** Abandoned (no client in it, agent gone) and replaced by a new call when the agent pressed the phone again. */
  replaced: 'replaced',
  /** LiveKit closed the room. */
  roomFinished: 'room_finished',
} as const;
/** One of the service's own end reasons. */
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

/** Who did something to a call. */
export const ActorSchema = Type.Union([Type.Literal('agent'), Type.Literal('client'), Type.Literal('system'), Type.Literal('api')]);

/** An event as recorded and broadcast on the live socket. */
export const CallEventSchema = Type.Object({
  type: Type.String(),
  by: ActorSchema,
  at: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
});
/** An event as recorded and broadcast on the live socket. */
export type CallEvent = Static<typeof CallEventSchema>;
