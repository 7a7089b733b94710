// The wire views of a call: CallView and Credentials.
import type { CallRow } from '../store/schema.js';
import { CallViewSchema, CredentialsSchema, type CallView, type Credentials } from '../../protocol/call.js';

/** The wire views are defined once, in protocol/call.ts; the domain maps rows onto them. */
export { CallViewSchema, CredentialsSchema };
export type { CallView, Credentials };

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
    agentAwaySince: row.agent_away_since ? iso(row.agent_away_since) : null,
    invitedAt: iso(row.invited_at ?? row.created_at),
  };
}
