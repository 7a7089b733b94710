/**
 * LiveKit webhooks made the way the server makes them (protojson body, `application/webhook+json`,
 * `Authorization`: a JWT from the API key, valid 5 minutes, carrying the body's base64 sha256), so
 * tests can deliver them late, twice or out of order.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AccessToken } from 'livekit-server-sdk';

/** A participant as it appears in a webhook. */
export interface WebhookParticipant {
  sid: string;
  identity: string;
  /** Milliseconds since the epoch; LiveKit sends 0 in track events. */
  joinedAtMs: number;
}

/** What one webhook says. */
export interface WebhookInput {
  event: 'room_started' | 'room_finished' | 'participant_joined' | 'participant_left' | 'participant_connection_aborted' | 'track_published' | 'track_unpublished';
  /** The call whose room it is about (room name and metadata as the service creates them). */
  callId: string;
  participant?: WebhookParticipant;
  track?: { sid: string; source: 'MICROPHONE' | 'CAMERA' | 'SCREEN_SHARE' | 'SCREEN_SHARE_AUDIO' };
  /** Seconds since the epoch; now when unset. */
  createdAt?: number;
  /** Unique per event; random when unset. */
  id?: string;
}

/** A random LiveKit-style id (`PA_…`, `TR_…`, `EV_…`). */
export function lkId(prefix: 'PA' | 'TR' | 'EV' | 'RM'): string {
  return `${prefix}_${randomBytes(6).toString('base64url')}`;
}

/** The body LiveKit would post (protojson: int64 as strings, enums by name). */
export function webhookBody(input: WebhookInput): string {
  const createdAt = input.createdAt ?? Math.floor(Date.now() / 1000);
  const event: Record<string, unknown> = {
    event: input.event,
    room: { sid: 'RM_test', name: input.callId, metadata: JSON.stringify({ switchboardCallId: input.callId }) },
    id: input.id ?? lkId('EV'),
    createdAt: String(createdAt),
  };
  if (input.participant) {
    const { sid, identity, joinedAtMs } = input.participant;
    event.participant = {
      sid, identity, state: input.event === 'participant_joined' ? 'ACTIVE' : 'DISCONNECTED',
      joinedAt: String(Math.floor(joinedAtMs / 1000)), joinedAtMs: String(joinedAtMs),
    };
  }
  if (input.track) event.track = { sid: input.track.sid, type: input.track.source.startsWith('SCREEN') && !input.track.source.endsWith('AUDIO') ? 'VIDEO' : 'AUDIO', source: input.track.source };
  return JSON.stringify(event);
}

/** The Authorization header LiveKit would send with this body. */
export async function signWebhook(body: string, apiKey: string, apiSecret: string): Promise<string> {
  const token = new AccessToken(apiKey, apiSecret, { ttl: '5m' });
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

/** A signed delivery, ready to post (and to post again). */
export interface Delivery {
  body: string;
  authorization: string;
}

/** Builds and signs one webhook. */
export async function signedWebhook(input: WebhookInput, keys: { apiKey: string; apiSecret: string }): Promise<Delivery> {
  const body = webhookBody(input);
  return { body, authorization: await signWebhook(body, keys.apiKey, keys.apiSecret) };
}

/** Posts a delivery to the app's webhook route. */
export function deliver(app: FastifyInstance, delivery: Partial<Delivery> & { body: string }, contentType = 'application/webhook+json') {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (delivery.authorization !== undefined) headers.authorization = delivery.authorization;
  return app.inject({ method: 'POST', url: '/v1/livekit/webhook', headers, payload: delivery.body });
}
