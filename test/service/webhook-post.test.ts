// One signed webhook request (service/webhooks/webhook-post.ts): kept-alive connections, no redirect followed, the
// answer's body never awaited, the timeout, and a kept-alive connection that the endpoint closed.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { postWebhook } from '../../service/webhooks/webhook-post.js';

const webhook = new Webhook(`whsec_${Buffer.alloc(24, 3).toString('base64')}`);

/** A server counting its connections and the requests on each; `answer` decides what each request gets. */
async function endpoint(t: TestContext, answer: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  const connections: Socket[] = [];
  const perSocket = new Map<Socket, number>();
  let requests = 0;
  const server = createServer((req, res) => {
    perSocket.set(req.socket, (perSocket.get(req.socket) ?? 0) + 1);
    req.resume();
    req.on('end', () => answer(req, res, ++requests));
  });
  server.on('connection', (socket: Socket) => connections.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, connections, perSocket, requests: () => requests };
}

const post = (url: string, id: string, timeoutMs = 2000) => postWebhook({ url, webhooks: [webhook], id, payload: { type: 'test', data: { n: id } }, timeoutMs });

test('webhooks to one endpoint, one after the other, go over one kept-alive connection, each signed', async (t) => {
  const received: string[] = [];
  const ep = await endpoint(t, (req, res) => {
    received.push(String(req.headers['webhook-id']));
    assert.equal(req.headers['content-type'], 'application/json');
    assert.match(String(req.headers['webhook-signature']), /^v1,/);
    res.writeHead(204).end();
  });
  for (const id of ['msg_1', 'msg_2', 'msg_3']) {
    const result = await post(ep.url, id);
    assert.deepEqual([result.status, result.error, result.timedOut], [204, null, false]);
  }
  assert.deepEqual(received, ['msg_1', 'msg_2', 'msg_3']);
  assert.equal(ep.connections.length, 1);
});

test('a redirect is an answer, not followed: the signed body goes nowhere else', async (t) => {
  const elsewhere = await endpoint(t, (_req, res) => res.writeHead(204).end());
  const ep = await endpoint(t, (_req, res) => res.writeHead(307, { location: elsewhere.url }).end());
  const result = await post(ep.url, 'msg_r');
  assert.deepEqual([result.status, result.error], [307, 'HTTP 307']);
  assert.equal(elsewhere.requests(), 0);
});

test('an endless answer body is not waited for; its connection is dropped and the next webhook takes a new one', async (t) => {
  const ep = await endpoint(t, (_req, res, n) => {
    if (n > 1) return res.writeHead(204).end();
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(16 * 1024, 120);
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  const first = await post(ep.url, 'msg_big');
  assert.deepEqual([first.status, first.error], [200, null]);
  const second = await post(ep.url, 'msg_next');
  assert.deepEqual([second.status, second.error], [204, null]);
  assert.equal(ep.connections.length, 2);
});

test('no answer within the timeout: timed out, no status', async (t) => {
  const ep = await endpoint(t, () => undefined);
  const result = await post(ep.url, 'msg_slow', 200);
  assert.deepEqual([result.status, result.error, result.timedOut], [null, 'timed out after 200 ms', true]);
});

test('a kept-alive connection the endpoint drops as it is reused: the webhook goes again on a new connection', async (t) => {
  const ep = await endpoint(t, (req, res) => {
    // The second request on a connection is cut without an answer, as an endpoint closing an idle connection would.
    if (ep.perSocket.get(req.socket) === 2) return req.socket.destroy();
    res.writeHead(204).end();
  });
  assert.equal((await post(ep.url, 'msg_a')).status, 204);
  const again = await post(ep.url, 'msg_b');
  assert.deepEqual([again.status, again.error], [204, null]);
  assert.equal(ep.connections.length, 2);
});

test('an endpoint nobody listens on: the reason in a few words', async () => {
  const result = await post('http://127.0.0.1:1/hook', 'msg_x');
  assert.deepEqual([result.status, result.error, result.timedOut], [null, 'request failed: ECONNREFUSED', false]);
});
