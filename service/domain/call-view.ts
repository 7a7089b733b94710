// The wire views of a call: CallView and Credentials.
import type { CallRow } from '../store/schema.js';
import { Type, type Static } from 'typebox';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** A call as the REST API and the live socket show it (the schema routes validate responses with). */
export const CallViewSchema = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  conversationId: Type.String(),
  clientId: Type.String(),
  clientName: nullable(Type.String()),
  agentId: Type.String(),
  agentName: Type.String(),
  media: Type.Union([Type.Literal('audio'), Type.Literal('video')]),
  status: Type.Union([Type.Literal('created'), Type.Literal('ringing'), Type.Literal('active'), Type.Literal('client_left'), Type.Literal('ended')]),
  linkDelivered: Type.Boolean(),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  endedAt: nullable(Type.String()),
  endedBy: nullable(Type.Union([Type.Literal('agent'), Type.Literal('client'), Type.Literal('system'), Type.Literal('api')])),
  endReason: nullable(Type.String()),
});

/** A call as the REST API and the live socket show it. */
export type CallView = Static<typeof CallViewSchema>;

const IceServerSchema = Type.Object({
  urls: Type.Union([Type.String(), Type.Array(Type.String())]),
  username: Type.Optional(Type.String()),
  credential: Type.Optional(Type.String()),
});

/** What a participant needs to take part in a call (the schema). */
export const CredentialsSchema = Type.Object({
  role: Type.Union([Type.Literal('agent'), Type.Literal('client')]),
  token: Type.String(),
  expiresAt: Type.String(),
  liveUrl: Type.String(),
  // Peer-to-peer: ICE servers; LiveKit: the server URL and a room token for this session.
  media: Type.Union([
    Type.Object({ mode: Type.Literal('direct'), iceServers: Type.Array(IceServerSchema) }),
    Type.Object({ mode: Type.Literal('livekit'), url: Type.String(), token: Type.String() }),
  ]),
});

/** What a participant needs to take part in a call. */
export type Credentials = Static<typeof CredentialsSchema>;

const iso = (d: Date | string): string => new Date(d).toISOString();

/** Maps a stored row to its view. */
export function toCallView(row: CallRow): CallView {
  return {
    id: row.id,
    orgId: row.org_id,
    conversationId: row.conversation_id,
    clientId: row.client_id,
    clientName: row.client_name,
    agentId: row.agent_id,
    agentName: row.agent_name,
    media: row.media,
    status: row.status,
    linkDelivered: row.link_delivered,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    endedAt: row.ended_at ? iso(row.ended_at) : null,
    endedBy: row.ended_by,
    endReason: row.end_reason,
  };
}
