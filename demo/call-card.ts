/**
 * The call as a live card in the demo conversation: the invite message's status follows the
 * call's webhooks (sent → client opened the link → in call → ended / missed / expired / agent
 * left), and the facts needed for the summary posted when the call ends are gathered here.
 * Webhooks may arrive late, twice or out of order: the status only moves forward, and an end
 * is final.
 */

/** Where the call stands, as the invite card shows it. */
export const CallCardStatus = {
  sent: 'sent',
  opened: 'opened',
  inCall: 'in_call',
  ended: 'ended',
  missed: 'missed',
  expired: 'expired',
  agentLeft: 'agent_left',
} as const;
/** Where the call stands, as the invite card shows it. */
export type CallCardStatus = (typeof CallCardStatus)[keyof typeof CallCardStatus];

const RANK: Record<CallCardStatus, number> = { sent: 0, opened: 1, in_call: 2, ended: 3, missed: 3, expired: 3, agent_left: 3 };

/** What the demo knows of one call, from its webhooks. */
export interface CallFacts {
  status: CallCardStatus;
  /** When the client first joined (webhook timestamp, ms). */
  joinedAt: number | null;
  /** Which sides shared their screen. */
  screenSharedBy: Set<'agent' | 'client'>;
  /** Seconds in the call (client joined → end), else from the call's creation to its end. */
  durationSeconds: number | null;
  endReason: string | null;
}

/** A fresh call whose invite was just posted. */
export function newCallFacts(): CallFacts {
  return { status: CallCardStatus.sent, joinedAt: null, screenSharedBy: new Set(), durationSeconds: null, endReason: null };
}

/** Moves the status forward only (a late `link_opened` never undoes `in_call`, nothing undoes an end). */
export function advance(facts: CallFacts, next: CallCardStatus): boolean {
  if (RANK[next] <= RANK[facts.status]) return false;
  facts.status = next;
  return true;
}

/** The terminal status of a `call.ended` reason. */
export function endStatus(reason: string, clientJoined: boolean): CallCardStatus {
  if (reason === 'no_answer') return CallCardStatus.missed;
  if (reason === 'expired') return CallCardStatus.expired;
  if (reason === 'agent_left') return CallCardStatus.agentLeft;
  // Ended before the client ever came: nobody answered.
  return clientJoined ? CallCardStatus.ended : CallCardStatus.missed;
}

/** `mm:ss` (hours fold into minutes). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** The card's words for a status. */
export function statusText(facts: CallFacts): string {
  switch (facts.status) {
    case 'sent': return 'Call invite sent';
    case 'opened': return 'Client opened the link';
    case 'in_call': return 'In call';
    case 'ended': return facts.durationSeconds === null ? 'Ended' : `Ended (${formatDuration(facts.durationSeconds)})`;
    case 'missed': return 'Missed call';
    case 'expired': return 'Link expired';
    case 'agent_left': return 'Ended: the agent left';
  }
}

const REASONS: Record<string, string> = {
  ended_by_agent: 'ended by the agent',
  ended_by_api: 'ended by the helpdesk',
  no_answer: 'no answer',
  expired: 'the link expired',
  agent_left: 'the agent left',
  room_finished: 'the media server closed the call',
};

/** The summary posted into the conversation when the call ends. */
export function summaryText(facts: CallFacts, names: { agent: string; client: string }): string {
  const joined = facts.joinedAt !== null ? `${names.agent} and ${names.client}` : `${names.agent} (${names.client} never joined)`;
  // A call nobody answered has no duration (the webhook says durationSeconds: null): the summary says so instead of 00:00.
  const duration = facts.joinedAt !== null && facts.durationSeconds !== null ? `duration ${formatDuration(facts.durationSeconds)}` : 'not answered';
  const shared = facts.screenSharedBy.size === 0 ? 'no'
    : [...facts.screenSharedBy].sort().map((by) => (by === 'agent' ? names.agent : names.client)).join(' and ');
  const reason = facts.endReason ? REASONS[facts.endReason] ?? facts.endReason.replace(/_/g, ' ') : 'unknown';
  return `Call summary · in the call: ${joined} · ${duration} · screen shared: ${shared} · end: ${reason}.`;
}
