// The host application's backend, as small as it gets: what every example (plain HTML, React, Vue)
// runs behind its page. It holds the conversations, mints the agent token from them, and receives
// Switchboard's signed webhooks, posting the call invite into the conversation. Only node:http,
// jose and standardwebhooks. Configuration (environment):
//   SWITCHBOARD_URL      the service as the browser sees it (default http://127.0.0.1:3000)
//   EXAMPLE_PORT         where this app listens (default 3002; point ORG_WEBHOOK_URL here)
//   ORG_ID               the service's ORG_ID (default demo)
//   ORG_SIGNING_SECRET, ORG_WEBHOOK_SECRET
//                        the service's; when unset, read from DATA_DIR/secrets.json, where
//                        `npm start` writes the secrets it generates (DATA_DIR default: the repo's .data)
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

const env = process.env;
const SERVICE_URL = (env.SWITCHBOARD_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const ORG_ID = env.ORG_ID ?? 'demo';
const stored = env.ORG_SIGNING_SECRET && env.ORG_WEBHOOK_SECRET ? {} : readSecrets();
const signingKey = new TextEncoder().encode(env.ORG_SIGNING_SECRET ?? stored.orgSigningSecret);
const webhook = new Webhook(env.ORG_WEBHOOK_SECRET ?? stored.orgWebhookSecret);
const AGENT_TOKEN_TTL_SECONDS = 300; // the service refuses more than 900
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

function readSecrets() {
  const file = join(env.DATA_DIR ? resolve(env.DATA_DIR) : fileURLToPath(new URL('../.data', import.meta.url)), 'secrets.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.error(`No ${file}: run \`npm start\` once (it generates the secrets), or set ORG_SIGNING_SECRET and ORG_WEBHOOK_SECRET.`);
    process.exit(1);
  }
}

// The host's own data. There is no login here: a real app takes the agent from its session.
const agent = { id: 'agent-alice', name: 'Alice Martin' };
const conversations = new Map([
  ['example-bob', { id: 'example-bob', clientId: 'client-bob', clientName: 'Bob Lambert', started: false, ownerId: null, messages: [] }],
  ['example-chen', { id: 'example-chen', clientId: 'client-chen', clientName: 'Chen Wei', started: false, ownerId: null, messages: [] }],
]);
const seenWebhooks = new Set(); // deliveries are at least once: a webhook-id may come twice
const streams = new Set(); // pages listening at /api/events

/** A conversation as the page sees it. */
const view = (c) => ({ ...c, ownedByMe: c.ownerId === agent.id });

function post(conversation, message) {
  conversation.messages.push({ ...message, at: new Date().toISOString() });
  for (const res of streams) res.write(`data: ${JSON.stringify(view(conversation))}\n\n`);
}

/** The agent token states what this app knows; Switchboard checks the prerequisites from it. */
function agentToken(c) {
  return new SignJWT({
    name: agent.name,
    conversation_id: c.id,
    client_id: c.clientId,
    client_name: c.clientName,
    conversation_started: c.started,
    conversation_owner_id: c.ownerId,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ORG_ID)
    .setAudience('switchboard')
    .setSubject(agent.id)
    .setIssuedAt()
    .setExpirationTime(`${AGENT_TOKEN_TTL_SECONDS}s`)
    .sign(signingKey);
}

/** What an event says in the conversation (null: nothing to show). */
function describe(event) {
  const { data } = event;
  switch (event.type) {
    case 'call.invite': return { from: 'agent', text: data.text, link: data.joinUrl };
    case 'call.client_joined': return { from: 'system', text: 'The client joined the call.' };
    case 'call.client_left': return { from: 'system', text: 'The client left the call.' };
    case 'call.ended': return { from: 'system', text: `The call ended (${data.reason}, ${data.durationSeconds} s).` };
    default: return null;
  }
}

/** The webhook: verified over the exact bytes received, answered 2xx once handled (anything else is retried). */
function receiveWebhook(req, body) {
  let event;
  try {
    event = webhook.verify(body, req.headers);
  } catch (err) {
    return err instanceof WebhookVerificationError ? 401 : 400;
  }
  const id = req.headers['webhook-id'];
  if (seenWebhooks.has(id)) return 204;
  seenWebhooks.add(id);
  const conversation = conversations.get(event.data.conversationId);
  const message = describe(event);
  if (conversation && message) post(conversation, message);
  return 204;
}

async function readBody(req, limit = 256 * 1024) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > limit) throw new Error('body too large');
  }
  return body;
}

/**
 * Starts the app: the API above, `root`'s files (index.html with %SWITCHBOARD_URL% filled in) and
 * `files`, a map of extra paths to { type, body } (the React bundle, the Vue build).
 */
export function startHostBackend({ root, files = {} }) {
  const json = (res, status, value) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const started = path.match(/^\/api\/conversations\/([\w-]+)\/start$/);
    try {
      if (req.method === 'POST' && path === '/switchboard/webhook') return res.writeHead(receiveWebhook(req, await readBody(req))).end();
      if (req.method === 'GET' && path === '/api/conversations') return json(res, 200, [...conversations.values()].map(view));
      if (req.method === 'POST' && started) {
        const c = conversations.get(started[1]);
        if (!c) return json(res, 404, { message: 'No such conversation' });
        if (!c.started) Object.assign(c, { started: true, ownerId: agent.id });
        return json(res, 200, view(c));
      }
      if (req.method === 'GET' && path === '/api/agent-token') {
        const c = conversations.get(url.searchParams.get('conversationId') ?? '');
        return c ? json(res, 200, { token: await agentToken(c) }) : json(res, 404, { message: 'No such conversation' });
      }
      if (req.method === 'GET' && path === '/api/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' }).write(': connected\n\n');
        streams.add(res);
        return req.on('close', () => streams.delete(res));
      }
      if (req.method !== 'GET') return json(res, 404, { message: 'Not found' });
      if (files[path]) return res.writeHead(200, { 'content-type': files[path].type }).end(files[path].body);
      const file = path === '/' ? 'index.html' : path.slice(1);
      if (!/^[\w-]+\.(html|js|css)$/.test(file)) return json(res, 404, { message: 'Not found' });
      const text = (await readFile(join(root, file), 'utf8')).replaceAll('%SWITCHBOARD_URL%', SERVICE_URL);
      return res.writeHead(200, { 'content-type': TYPES[extname(file)] }).end(text);
    } catch (err) {
      if (err.code === 'ENOENT') return json(res, 404, { message: 'Not found' });
      console.error(err);
      return json(res, 500, { message: 'Internal error' });
    }
  });
  server.listen(Number(env.EXAMPLE_PORT ?? 3002), '127.0.0.1', () => {
    const url = `http://127.0.0.1:${server.address().port}`;
    console.log(`Example host app on ${url} (Switchboard at ${SERVICE_URL}; webhooks expected at ${url}/switchboard/webhook)`);
  });
  return server;
}
