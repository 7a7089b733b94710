// The words of <call-room>'s status line, from the snapshot. Shown once, in the header.
import type { CallSnapshot } from '../../core/call-session.js';
import type { Role } from '../../core/types.js';
import { isAgentAway } from '../../core/call-state.js';
import { format, strings } from '../../i18n/index.js';

/** The status line for this side. */
export function statusText(snapshot: CallSnapshot | null, role: Role): string {
  const state = snapshot?.state;
  const agent = role === 'agent';
  if (state && isAgentAway(state)) return format(strings().callEndings.agentAway, names(snapshot));
  // The client opened the link or is on the pre-join screen: not in the call yet (the ringtone goes on).
  if (agent && snapshot?.clientArrival && state?.status === 'waiting') return strings().prejoin.agentStatus[snapshot.clientArrival === 'prejoin' ? 'prejoin' : 'linkOpened'];
  switch (state?.status ?? 'connecting') {
    case 'waiting':
      if (!agent) return strings().room.status.waitingClient;
      return snapshot?.call?.linkDelivered ? strings().room.status.waitingAgentLinkSent : strings().room.status.waitingAgent;
    case 'connected':
      return agent ? strings().room.status.connectedAgent : strings().room.status.connectedClient;
    case 'client-left':
      return strings().room.status.clientLeft;
    case 'reconnecting':
      return strings().room.status.reconnecting;
    case 'ending':
      return strings().room.status.ending;
    case 'ended':
      if (state?.status === 'ended' && state.cause === 'local') return agent ? strings().room.status.ended : strings().room.status.youLeft;
      return endedText(snapshot, agent) ?? strings().room.status.ended;
    case 'failed':
      if (state?.status !== 'failed') return strings().room.status.failed;
      // A code without words of its own still says whether trying again can help.
      return strings().room.errors[state.code] ?? (state.rejoinable ? strings().room.errors.media_lost : strings().room.errors.generic) ?? strings().room.status.failed;
    default:
      return strings().room.status.connecting;
  }
}

/** The names in the call-endings strings (the unnamed fallbacks when the call record has none). */
function names(snapshot: CallSnapshot | null): Record<string, string> {
  return { client: snapshot?.call?.clientName ?? strings().room.unnamed.agent, agent: snapshot?.call?.agentName ?? strings().room.unnamed.client };
}

/** Why the call ended by itself, in this side's words; null for an ordinary end. */
function endedText(snapshot: CallSnapshot | null, agent: boolean): string | null {
  const e = strings().callEndings;
  switch (snapshot?.call?.endReason) {
    case 'no_answer':
      return format(agent ? e.missedAgent : e.missedClient, names(snapshot));
    case 'expired':
      return agent ? format(e.expiredAgent, names(snapshot)) : strings().room.errors.link_expired ?? null;
    case 'agent_left':
      return agent ? null : format(e.agentLeft, names(snapshot));
    case 'replaced':
      return agent ? null : e.replaced;
    default:
      return null;
  }
}
