// TypeBox schemas of the wire contract, shared by the routes.
import { Type } from 'typebox';

/** {statusCode, code, error, message} */
export const ErrorSchema = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** CallView */
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

const IceServerSchema = Type.Object({
  urls: Type.Union([Type.String(), Type.Array(Type.String())]),
  username: Type.Optional(Type.String()),
  credential: Type.Optional(Type.String()),
});

/** Credentials */
export const CredentialsSchema = Type.Object({
  role: Type.Union([Type.Literal('agent'), Type.Literal('client')]),
  token: Type.String(),
  expiresAt: Type.String(),
  liveUrl: Type.String(),
  media: Type.Object({ mode: Type.Literal('direct'), iceServers: Type.Array(IceServerSchema) }),
});

/** Path parameters naming a call. */
export const CallIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

/** Error responses by status, for route schemas. */
export const errorResponses = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorSchema]));

/** A header marking responses that must not be cached (credentials, call state). */
export const NO_STORE = 'no-store';
