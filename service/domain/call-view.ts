// The wire views of a call: CallView and Credentials.
import type { CallRow } from '../store/schema.js';
import type { CredentialsMedia } from '../media/media-adapter.js';
import type { CallStatus, EndedBy } from './call-lifecycle.js';
import type { Role } from './credentials.js';

/** A call as the REST API and the live socket show it. */
export interface CallView {
  id: string;
  orgId: string;
  conversationId: string;
  clientId: string;
  clientName: string | null;
  agentId: string;
  agentName: string;
  media: 'audio' | 'video';
  status: CallStatus;
  linkDelivered: boolean;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
  endedBy: EndedBy | null;
  endReason: string | null;
}

/** What a participant needs to take part in a call. */
export interface Credentials {
  role: Role;
  token: string;
  expiresAt: string;
  liveUrl: string;
  media: CredentialsMedia;
}

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
