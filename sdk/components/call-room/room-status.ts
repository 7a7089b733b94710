// The words of <call-room>'s status line, from the snapshot. Shown once, in the header.
import type { CallSnapshot } from '../../core/call-session.js';
import type { Role } from '../../core/types.js';
import { en } from '../../i18n/en.js';

/** The status line for this side. */
export function statusText(snapshot: CallSnapshot | null, role: Role): string {
  const state = snapshot?.state;
  const agent = role === 'agent';
  // The client opened the link or is on the pre-join screen: not in the call yet (the ringtone goes on).
  if (agent && snapshot?.clientArrival) return en.prejoin.agentStatus[snapshot.clientArrival === 'prejoin' ? 'prejoin' : 'linkOpened'];
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
      return state?.status === 'ended' && state.cause === 'local' && !agent ? en.room.status.youLeft : en.room.status.ended;
    case 'failed':
      if (state?.status !== 'failed') return en.room.status.failed;
      // A code without words of its own still says whether trying again can help.
      return en.room.errors[state.code] ?? (state.rejoinable ? en.room.errors.media_lost : en.room.errors.generic) ?? en.room.status.failed;
    default:
      return en.room.status.connecting;
  }
}
