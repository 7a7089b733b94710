// LiveKit mode: one room per call, created with the call and deleted when it ends; every
// participant session gets its own identity and a short-lived token that can join that room only.
import { AccessToken, RoomServiceClient, ServerError, TrackSource, type ParticipantInfo, type VideoGrant } from 'livekit-server-sdk';
import type { MediaConfig } from '../config.js';
import { errors } from '../errors.js';
import type { MediaAdapter, MediaParticipant } from './media-adapter.js';

/** Settings of LiveKit mode: the config's media block plus the ring timeout the room's empty timeout follows. */
export type LivekitSettings = Extract<MediaConfig, { mode: 'livekit' }> & { ringTimeoutSeconds: number };

/** Where the adapter reports failures (a pino logger fits). */
export interface MediaLog {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Agent, client, and one more: a session taking over (a reload, the link opened elsewhere) joins
 * before the service removes the older participant of its role.
 */
export const LIVEKIT_MAX_PARTICIPANTS = 3;
/** An unjoined room outlives the ring timeout by this much, so the call ends as `no_answer` before LiveKit closes its room. */
export const EMPTY_TIMEOUT_MARGIN_SECONDS = 60;
/** What a participant may publish: no data channel, no other source. */
export const PUBLISHABLE_SOURCES: TrackSource[] = [TrackSource.MICROPHONE, TrackSource.CAMERA, TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO];

/** The LiveKit room of a call (its id: one room per call, never reused). */
export function roomNameFor(callId: string): string {
  return callId;
}

/** A participant identity: the role and the credentials session, so each session is its own participant. */
export function identityFor(role: MediaParticipant['role'], sessionId: string): string {
  return `${role}:${sessionId}`;
}

/** Role and session of an identity this service minted; null for anything else. */
export function parseIdentity(identity: string): { role: MediaParticipant['role']; sessionId: string } | null {
  const m = /^(agent|client):([\w-]{1,64})$/.exec(identity);
  return m ? { role: m[1] as MediaParticipant['role'], sessionId: m[2]! } : null;
}

/** The call id a room's metadata names, or null when the room is not one of ours. */
export function callIdOfRoom(metadata: string | undefined): string | null {
  try {
    const parsed = JSON.parse(metadata ?? '') as { switchboardCallId?: unknown };
    return typeof parsed.switchboardCallId === 'string' ? parsed.switchboardCallId : null;
  } catch {
    return null;
  }
}

/** True when LiveKit answered "no such room/participant" (a goal already reached when deleting or removing). */
export function isNotFound(err: unknown): boolean {
  return err instanceof ServerError && (err.status === 404 || err.code === 'not_found');
}

/** The LiveKit adapter, with the room operations the webhook route needs. */
export interface LivekitMedia extends MediaAdapter {
  readonly mode: 'livekit';
  readonly settings: LivekitSettings;
  /** Participants LiveKit lists in a call's room ([] when the room is gone). */
  listParticipants(callId: string): Promise<ParticipantInfo[]>;
  /** Disconnects a participant; one already gone counts as done. */
  removeParticipant(callId: string, identity: string): Promise<void>;
}

/** Narrows a media adapter to LiveKit's. */
export function isLivekitMedia(media: MediaAdapter): media is LivekitMedia {
  return media.mode === 'livekit';
}

/** Builds the LiveKit adapter over the server's RoomService API (http(s) on the same host as the ws(s) URL). */
export function createLivekitMedia(settings: LivekitSettings, log: MediaLog = console): LivekitMedia {
  const host = settings.url.replace(/^ws/, 'http');
  const rooms = new RoomServiceClient(host, settings.apiKey, settings.apiSecret, { requestTimeout: settings.requestTimeoutSeconds });
  /** CreateRoom with the call's options; LiveKit answers with the existing room when it is there. */
  const createRoom = (callId: string) => rooms.createRoom({
    name: roomNameFor(callId),
    emptyTimeout: settings.ringTimeoutSeconds + EMPTY_TIMEOUT_MARGIN_SECONDS,
    departureTimeout: settings.departureTimeoutSeconds,
    maxParticipants: LIVEKIT_MAX_PARTICIPANTS,
    metadata: JSON.stringify({ switchboardCallId: callId }),
  });

  return {
    mode: 'livekit',
    settings,
    // A room left open keeps both people connected after END CALL (token expiry ejects nobody): a
    // failed DeleteRoom is retried by the calls service's sweep, from the database.
    releaseRetry: settings.deleteRoom,

    async prepareCall(callId) {
      try {
        await createRoom(callId);
      } catch (err) {
        // Nothing was stored yet: the agent may simply press the phone again.
        log.error(`LiveKit CreateRoom for ${callId} failed: ${(err as Error).message}`);
        throw errors.mediaUnavailable();
      }
    },

    async restoreCalls(callIds) {
      if (callIds.length === 0) return [];
      let existing: Set<string>;
      try {
        existing = new Set((await rooms.listRooms(callIds.map(roomNameFor))).map((r) => r.name));
      } catch (err) {
        throw Object.assign(errors.mediaUnavailable(), { cause: err });
      }
      const missing = callIds.filter((id) => !existing.has(roomNameFor(id)));
      for (const callId of missing) {
        try {
          await createRoom(callId);
        } catch (err) {
          throw Object.assign(errors.mediaUnavailable(), { cause: err });
        }
        log.warn(`LiveKit room of open call ${callId} was gone (media server restarted?): created again`);
      }
      return missing;
    },

    async credentialsMedia({ callId, role, sessionId, name }) {
      const token = new AccessToken(settings.apiKey, settings.apiSecret, {
        identity: identityFor(role, sessionId),
        name,
        // Only good for connecting: LiveKit refreshes the token of a connected participant itself.
        ttl: settings.tokenTtlSeconds,
      });
      // No roomCreate/roomAdmin/roomList/roomRecord: a browser token with roomCreate could bring an ended call's room back.
      const grant: VideoGrant = {
        roomJoin: true,
        room: roomNameFor(callId),
        canPublish: true,
        canSubscribe: true,
        canPublishData: false,
        canUpdateOwnMetadata: false,
        canPublishSources: PUBLISHABLE_SOURCES,
      };
      token.addGrant(grant);
      return { mode: 'livekit', url: settings.url, token: await token.toJwt() };
    },

    async releaseCall(callId) {
      try {
        await rooms.deleteRoom(roomNameFor(callId));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },

    async listParticipants(callId) {
      try {
        return await rooms.listParticipants(roomNameFor(callId));
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    },

    async removeParticipant(callId, identity) {
      try {
        await rooms.removeParticipant(roomNameFor(callId), identity);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },

    close: () => Promise.resolve(),
  };
}
