/** Starts socket-holder.ts and talks to it; makes calls (created and joined over HTTP) whose sockets it opens. */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { barePairPath } from './bare-server.js';
import { runLoad } from './load.js';
import type { HolderCommand, HolderReply, PairSpec } from './socket-holder.js';
import { agentTokenFor, type BenchOrg } from './tokens.js';

const ENTRY = fileURLToPath(new URL('./socket-holder.ts', import.meta.url));
const LIVE_SUBPROTOCOL = 'switchboard.v1';
/** Connections making the calls the sockets belong to. */
const SETUP_CONNECTIONS = 20;

/** A running socket holder. */
export interface SocketHolder {
  open(pairs: PairSpec[]): Promise<Extract<HolderReply, { type: 'opened' }>>;
  /** Latencies of agent → client relays through the server, in ms. */
  relay(samples: number): Promise<number[]>;
  /** Latencies of client REST fact → agent socket event, in ms. */
  event(samples: number): Promise<number[]>;
  close(): Promise<void>;
}

/** Starts a holder process. */
export function startHolder(): SocketHolder {
  const child = fork(ENTRY, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T extends HolderReply['type']>(command: HolderCommand, type: T) => new Promise<Extract<HolderReply, { type: T }>>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`socket holder exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (m: HolderReply) => {
      child.off('exit', onExit);
      if (m.type === type) resolve(m as Extract<HolderReply, { type: T }>);
      else reject(new Error(`socket holder answered ${m.type} to ${command.type}`));
    });
    child.send(command);
  });
  return {
    open: (pairs) => ask({ type: 'open', pairs }, 'opened'),
    relay: async (samples) => (await ask({ type: 'relay', samples }, 'samples')).ms,
    event: async (samples) => (await ask({ type: 'event', samples }, 'samples')).ms,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'close' } satisfies HolderCommand);
      await exited;
    },
  };
}

const wsUrl = (base: string, path: string) => `${base.replace(/^http/, 'ws')}${path}`;

/**
 * Makes `count` calls on the service (created by an agent, joined by a client, over HTTP) and returns the specs of
 * their sockets. `first` numbers the conversations so that later batches make new calls.
 */
export async function makeCalls(base: string, org: BenchOrg, count: number, first: number): Promise<PairSpec[]> {
  const made: { callId: string; secret: string; agentToken: string }[] = [];
  await runLoad({
    urls: [base], path: '/v1/calls', connections: SETUP_CONNECTIONS, durationSeconds: 0, amount: count,
    request: (n) => ({ body: '{"media":"video"}', headers: { authorization: `Bearer ${agentTokenFor(org, `sockets-${first + n}`, first + n)}` } }),
    onResponse: (status, body) => {
      if (status !== 201) return;
      const answer = JSON.parse(body) as { call: { id: string }; joinUrl: string; credentials: { token: string } };
      made.push({ callId: answer.call.id, secret: answer.joinUrl.split('#')[1]!, agentToken: answer.credentials.token });
    },
  });
  const clientTokens = new Map<string, string>();
  await runLoad({
    urls: [base], path: '/v1/join', connections: SETUP_CONNECTIONS, durationSeconds: 0, amount: made.length,
    request: (n) => ({ body: JSON.stringify({ callId: made[n % made.length]!.callId, secret: made[n % made.length]!.secret }) }),
    onResponse: (status, body) => {
      if (status !== 200) return;
      const answer = JSON.parse(body) as { call: { id: string }; credentials: { token: string } };
      clientTokens.set(answer.call.id, answer.credentials.token);
    },
  });
  return made.filter((c) => clientTokens.has(c.callId)).map((c) => ({
    agent: { url: wsUrl(base, `/v1/calls/${c.callId}/live`), protocols: [LIVE_SUBPROTOCOL, c.agentToken] },
    client: { url: wsUrl(base, `/v1/calls/${c.callId}/live`), protocols: [LIVE_SUBPROTOCOL, clientTokens.get(c.callId)!] },
    clientEvent: { url: `${base}/v1/calls/${c.callId}/events`, token: clientTokens.get(c.callId)! },
  }));
}

/** Socket pairs on the bare app's relay. */
export function barePairs(base: string, count: number, first: number): PairSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    agent: { url: wsUrl(base, barePairPath(`p${first + i}`, 'agent')), protocols: [] },
    client: { url: wsUrl(base, barePairPath(`p${first + i}`, 'client')), protocols: [] },
  }));
}
