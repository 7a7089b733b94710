// The words of <call-room>'s status line, from the snapshot. Shown once, in the header.
import type { CallSnapshot } from '../../core/call-session.js';
import type { Role } from '../../core/types.js';
import { isAgentAway } from '../../core/call-state.js';
import { en, format } from '../../i18n/en.js';

/** The status line for this side. */
export function statusText(snapshot: CallSnapshot | null, role: Role): string {
  const state = snapshot?.state;
  const agent = role === 'agent';
  if (state && isAgentAway(state)) return format(en.callEndings.agentAway, names(snapshot));
  // The client opened the link or is on the pre-join screen: not in the call yet (the ringtone goes on).
  if (agent && snapshot?.clientArrival && state?.status === 'waiting') return en.prejoin.agentStatus[snapshot.clientArrival === 'prejoin' ? 'prejoin' : 'linkOpened'];
  switch (state?.status ?? 'connecting') {
    case 'waiting':
      if (!agent) return en.room.status.waitingClient;
      return snapshot?.call?.linkDelivered ? en.room.status.waitingAgentLinkSent : en.room.status.waitingAgent;
    case 'connected':
      return agent ? en.room.status.connectedAgent : en.room.status.connectedClient;
    case 'client-left':
      return en.room.status.clientLeft;
    case 'reconnecting':
      return en.room.status.reconnecting;
    case 'ending':
      return en.room.status.ending;
    case 'ended':
      if (state?.status === 'ended' && state.cause === 'local') return agent ? en.room.status.ended : en.room.status.youLeft;
      return endedText(snapshot, agent) ?? en.room.status.ended;
    case 'failed':
      if (state?.status !== 'failed') return en.room.status.failed;
      // A code without words of its own still says whether trying again can help.
      return en.room.errors[state.code] ?? (state.rejoinable ? en.room.errors.media_lost : en.room.errors.generic) ?? en.room.status.failed;
    default:
      return en.room.status.connecting;
  }
}

/** The names in the call-endings strings (the unnamed fallbacks when the call record has none). */
function names(snapshot: CallSnapshot | null): Record<string, string> {
  return { client: snapshot?.call?.clientName ?? en.room.unnamed.agent, agent: snapshot?.call?.agentName ?? en.room.unnamed.client };
}

/** Why the call ended by itself, in this side's words; null for an ordinary end. */
function endedText(snapshot: CallSnapshot | null, agent: boolean): string | null {
  const e = en.callEndings;
  switch (snapshot?.call?.endReason) {
    case 'no_answer':
      return format(agent ? e.missedAgent : e.missedClient, names(snapshot));
    case 'expired':
      return agent ? format(e.expiredAgent, names(snapshot)) : en.room.errors.link_expired ?? null;
    case 'agent_left':
      return agent ? null : format(e.agentLeft, names(snapshot));
    case 'replaced':
      return agent ? null : e.replaced;
    default:
      return null;
  }
}
