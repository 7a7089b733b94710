// The seam between the call service and a media path (direct peer-to-peer today, LiveKit later).
import type { IceServer } from '../config.js';

/** The media block of call credentials. */
export interface CredentialsMedia {
  mode: 'direct';
  iceServers: IceServer[];
}

/** What the call service needs from a media path. */
export interface MediaAdapter {
  readonly mode: 'direct' | 'livekit';
  /** The media block given to a participant joining a call. */
  credentialsMedia(callId: string, role: 'agent' | 'client'): Promise<CredentialsMedia>;
  /** Releases media resources when a call ends. */
  endCall(callId: string): Promise<void>;
}
