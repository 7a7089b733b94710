// The invite message: stored in the outbox without its join link, which is filled in when the webhook is sent.

/** Stands in for the join URL in a stored invite (`data.joinUrl`, end of `data.text`), so the outbox never holds the secret. */
export const JOIN_URL_PLACEHOLDER = '{{joinUrl}}';

/** Who and what an invite is about. */
export interface InviteFacts {
  callId: string;
  conversationId: string;
  clientId: string;
  agentId: string;
  agentName: string;
  media: 'audio' | 'video';
}

/** The invite's webhook data as written to the outbox: the wire shape, with the placeholder where the link goes. */
export function storedInviteData(f: InviteFacts): Record<string, unknown> {
  const text = `${f.agentName} invited you to a ${f.media === 'video' ? 'video' : 'voice'} call: ${JOIN_URL_PLACEHOLDER}`;
  return { callId: f.callId, conversationId: f.conversationId, clientId: f.clientId, agentId: f.agentId, text, joinUrl: JOIN_URL_PLACEHOLDER };
}

/** True when a stored invite still waits for its link (written by this version; older rows carry the link itself). */
export function needsJoinUrl(data: Record<string, unknown>): boolean {
  return data.joinUrl === JOIN_URL_PLACEHOLDER;
}

/** The invite's webhook data as sent: the placeholder replaced by the join URL. */
export function withJoinUrl(data: Record<string, unknown>, joinUrl: string): Record<string, unknown> {
  const text = typeof data.text === 'string' ? data.text : '';
  // Only the last occurrence: an agent name that happens to contain the placeholder stays as typed.
  const at = text.lastIndexOf(JOIN_URL_PLACEHOLDER);
  const filled = at === -1 ? text : text.slice(0, at) + joinUrl + text.slice(at + JOIN_URL_PLACEHOLDER.length);
  return { ...data, text: filled, joinUrl };
}
