/**
 * Holds the live sockets of the socket figures in a process of its own (the server's memory stays its own, and each
 * process keeps within `ulimit -n`): opens both sockets of many calls, then times messages between a pair's sockets.
 * Driven by sockets.ts over IPC; never run by hand.
 */
import WebSocket from 'ws';

/** One side's socket: where it connects and with which subprotocols. */
export interface SocketTarget {
  url: string;
  protocols: string[];
}

/** Both sockets of one call (or of one bare pair), and how to post a participant fact as the client (service only). */
export interface PairSpec {
  agent: SocketTarget;
  client: SocketTarget;
  /** POST /v1/calls/:id/events as the client: the fact reaches the agent's socket as an `event` message. */
  clientEvent?: { url: string; token: string };
}

/** Commands the holder takes. */
export type HolderCommand =
  | { type: 'open'; pairs: PairSpec[] }
  | { type: 'relay'; samples: number }
  | { type: 'event'; samples: number }
  | { type: 'close' };

/** What the holder answers. */
export type HolderReply =
  | { type: 'opened'; open: number; failed: number; seconds: number }
  | { type: 'samples'; ms: number[] };

interface Pair {
  spec: PairSpec;
  agent: WebSocket;
  client: WebSocket;
  /** Facts already posted for this call (each fact changes something once). */
  evented: boolean;
}

/** Pairs whose sockets are being opened at once. */
const OPEN_CONCURRENCY = 50;
const HELLO_TIMEOUT_MS = 30_000;
const pairs: Pair[] = [];
const waiters = new Set<{ socket: WebSocket; test: (m: { type?: string; [k: string]: unknown }) => boolean; resolve: () => void }>();

function reply(message: HolderReply): void {
  process.send?.(message);
}

/** Resolves when the socket receives a message passing the test. */
function waitFor(socket: WebSocket, test: (m: { type?: string; [k: string]: unknown }) => boolean, timeoutMs = HELLO_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const waiter = { socket, test, resolve: () => {
      clearTimeout(timer);
      resolve();
    } };
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      reject(new Error('no answer in time'));
    }, timeoutMs);
    waiters.add(waiter);
  });
}

function connect(target: SocketTarget): WebSocket {
  const socket = new WebSocket(target.url, target.protocols);
  socket.on('error', () => undefined);
  socket.on('message', (data: Buffer) => {
    if (waiters.size === 0) return;
    const message = JSON.parse(data.toString()) as { type?: string };
    for (const waiter of waiters) {
      if (waiter.socket === socket && waiter.test(message)) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  });
  return socket;
}

async function openPair(spec: PairSpec): Promise<boolean> {
  const agent = connect(spec.agent);
  const agentHello = waitFor(agent, (m) => m.type === 'hello');
  const client = connect(spec.client);
  const clientHello = waitFor(client, (m) => m.type === 'hello');
  try {
    await Promise.all([agentHello, clientHello]);
    pairs.push({ spec, agent, client, evented: false });
    return true;
  } catch {
    agent.terminate();
    client.terminate();
    return false;
  }
}

async function open(specs: PairSpec[]): Promise<void> {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < specs.length) if (!(await openPair(specs[next++]!))) failed += 1;
  };
  await Promise.all(Array.from({ length: OPEN_CONCURRENCY }, worker));
  reply({ type: 'opened', open: pairs.length * 2, failed, seconds: (performance.now() - started) / 1000 });
}

const pick = () => pairs[Math.floor(Math.random() * pairs.length)]!;

/** Agent → client through the server: a direct-mode ICE candidate (the service) or any text (the bare relay). */
async function relay(samples: number): Promise<void> {
  const ms: number[] = [];
  for (let i = 0; i < samples && pairs.length > 0; i++) {
    const pair = pick();
    const mark = `candidate:${i} 1 udp 2122260223 127.0.0.1 ${50000 + i} typ host`;
    const arrived = waitFor(pair.client, (m) => JSON.stringify(m).includes(mark), 10_000);
    const t0 = performance.now();
    pair.agent.send(JSON.stringify({ type: 'signal', data: { kind: 'candidate', generation: 'bench', candidate: { candidate: mark, sdpMid: '0' } } }));
    await arrived;
    ms.push(performance.now() - t0);
  }
  reply({ type: 'samples', ms });
}

/** Client posts a participant fact (REST) → the agent's socket gets the `event` (transaction, outbox, bus). */
async function event(samples: number): Promise<void> {
  const ms: number[] = [];
  for (const pair of pairs.filter((p) => p.spec.clientEvent && !p.evented).slice(0, samples)) {
    pair.evented = true;
    const { url, token } = pair.spec.clientEvent!;
    const arrived = waitFor(pair.agent, (m) => m.type === 'event', 10_000);
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"type":"screen_share_started"}' });
    if (res.status !== 202) throw new Error(`POST events answered ${res.status}: ${await res.text()}`);
    await arrived;
    ms.push(performance.now() - t0);
  }
  reply({ type: 'samples', ms });
}

process.on('message', (command: HolderCommand) => {
  const fail = (err: Error) => {
    console.error(`socket holder: ${err.message}`);
    process.exit(1);
  };
  switch (command.type) {
    case 'open':
      return void open(command.pairs).catch(fail);
    case 'relay':
      return void relay(command.samples).catch(fail);
    case 'event':
      return void event(command.samples).catch(fail);
    case 'close':
      for (const pair of pairs) {
        pair.agent.terminate();
        pair.client.terminate();
      }
      process.exit(0);
  }
});
