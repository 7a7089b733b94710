// Wire types of the Switchboard service, as documented in docs/architecture.md ("As built").

/** A participant's role in a call. */
export type Role = 'agent' | 'client';

/** What a call carries besides screen sharing. */
export type CallMedia = 'audio' | 'video';

/** A call record as the service returns it. */
export interface CallView {
  id: string;
  orgId: string;
  conversationId: string;
  clientId: string;
  clientName: string | null;
  agentId: string;
  agentName: string;
  media: CallMedia;
  status: 'created' | 'ringing' | 'active' | 'client_left' | 'ended';
  linkDelivered: boolean;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
  endedBy: 'agent' | 'client' | 'system' | 'api' | null;
  endReason: string | null;
}

/** Media transport settings handed out with the credentials. */
export type MediaSettings =
  | { mode: 'direct'; iceServers: RTCIceServer[] }
  | { mode: 'livekit'; url: string; token: string };

/** Call credentials: what a participant needs to join the live socket and the media. */
export interface Credentials {
  role: Role;
  token: string;
  expiresAt: string;
  /** ws(s)://…/v1/calls/:id/live */
  liveUrl: string;
  media: MediaSettings;
}

/** Answer of `POST /v1/calls`. `joinUrl` is null when a call was already open. */
export interface CreateCallResult {
  call: CallView;
  credentials: Credentials;
  joinUrl: string | null;
}

/** Answer of `POST /v1/join`. */
export interface JoinResult {
  call: CallView;
  credentials: Credentials;
}

/** Body of `POST /v1/calls/:id/events`. */
export interface CallEventReport {
  type: 'screen_share_started' | 'screen_share_stopped' | 'media_blocked';
  device?: 'microphone' | 'camera' | 'screen';
  reason?: string;
}

/** A media source as named on the wire. */
export type TrackSource = 'camera' | 'microphone' | 'screen';
