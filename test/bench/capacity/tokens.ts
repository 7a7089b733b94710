/**
 * Agent tokens made synchronously, as many as the load needs while it runs: autocannon's `setupRequest` is
 * synchronous, and signing ahead of time would cap a run at the tokens made. Same JWT as
 * service/domain/agent-token.ts's `signAgentToken` (HS256, iss = org, aud = switchboard, 5 min).
 */
import { createHmac } from 'node:crypto';
import { AGENT_TOKEN_AUDIENCE } from '../../../service/domain/agent-token.js';

/** What the bench's agent tokens are signed for. */
export interface BenchOrg {
  id: string;
  signingSecret: string;
}

/** Agents the bench's calls are spread over (the per-agent rate limit is raised anyway). */
const AGENTS = 100;
const TOKEN_TTL_SECONDS = 300;

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = b64({ alg: 'HS256', typ: 'JWT' });

/** An agent token for a conversation of its own: each one makes a new call. */
export function agentTokenFor(org: BenchOrg, conversation: string, n: number): string {
  const now = Math.floor(Date.now() / 1000);
  const agent = `agent-${n % AGENTS}`;
  const payload = b64({
    sub: agent, name: `Bench Agent ${n % AGENTS}`, conversation_id: conversation, client_id: `client-${n}`, client_name: 'Bench Client',
    conversation_started: true, conversation_owner_id: agent, iss: org.id, aud: AGENT_TOKEN_AUDIENCE, iat: now, exp: now + TOKEN_TTL_SECONDS,
  });
  const signature = createHmac('sha256', org.signingSecret).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}
