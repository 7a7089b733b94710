// The rules an agent must meet to start a call, checked from the signed token, never from the browser.
import { errors } from '../errors.js';
import type { AgentClaims } from './agent-token.js';

/** Throws the first unmet prerequisite (client selected, conversation started, agent owns it); returns the client id. */
export function checkPrerequisites(claims: AgentClaims): string {
  if (!claims.clientId) throw errors.clientNotSelected();
  if (!claims.conversationStarted) throw errors.conversationNotStarted();
  if (claims.conversationOwnerId !== claims.agentId) throw errors.notConversationOwner();
  return claims.clientId;
}
