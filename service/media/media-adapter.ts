// The seam between the call service and a media path (direct peer-to-peer, or a LiveKit server).
import type { IceServer } from '../config.js';

/** The media block of call credentials: ICE servers for peer-to-peer, or a LiveKit URL and room token. */
export type CredentialsMedia =
  | { mode: 'direct'; iceServers: IceServer[] }
  | { mode: 'livekit'; url: string; token: string };

/** Who a media block is for: one participant session of a call. */
export interface MediaParticipant {
  callId: string;
  role: 'agent' | 'client';
  /** The session id of the call credentials it goes with (LiveKit: part of the participant identity). */
  sessionId: string;
  /** Name the other side sees. */
  name: string;
}

/** Longest wait between two attempts at releasing a call's media. */
export const MAX_RELEASE_BACKOFF_MS = 60_000;

/** What the call service needs from a media path. */
export interface MediaAdapter {
  readonly mode: 'direct' | 'livekit';
  /** Sets up media for a new call before it is stored (LiveKit: CreateRoom); never called on a join path. */
  prepareCall(callId: string): Promise<void>;
  /**
   * Makes sure the media of open calls exists again after the media server lost it (a LiveKit
   * restart loses its rooms and sends no webhook). Called by the sweep and by the agent's rejoin,
   * never on the client's join path. Resolves with the ids it had to restore.
   */
  restoreCalls(callIds: string[]): Promise<string[]>;
  /** The media block given to a participant session joining a call. */
  credentialsMedia(participant: MediaParticipant): Promise<CredentialsMedia>;
  /**
   * How releasing an ended call's media is retried (doubling delays from initialBackoffMs, up to
   * MAX_RELEASE_BACKOFF_MS, at most maxAttempts); absent when a call leaves nothing to release
   * (direct mode). The schedule is kept in the database by the calls service, not here.
   */
  readonly releaseRetry?: { initialBackoffMs: number; maxAttempts: number };
  /** One attempt at releasing an ended call's media (LiveKit: DeleteRoom); resolves once released (already gone counts), rejects otherwise. */
  releaseCall(callId: string): Promise<void>;
  /** Stops background work. */
  close(): Promise<void>;
}
