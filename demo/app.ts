/**
 * The demo helpdesk: a host application embedding <call-button>. Its backend mints
 * the agent token (as any integrator's would) and receives Switchboard's signed
 * webhooks, posting the call invite into the conversation.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SignJWT } from 'jose';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { fileURLToPath } from 'node:url';
import { advance, CallCardStatus, endStatus, summaryText } from './call-card.js';
import { CURRENT_AGENT, Helpdesk, type Conversation } from './helpdesk.js';

/** How the demo reaches Switchboard and which secrets the org shares with it. */
export interface DemoOptions {
  /** Base URL of the Switchboard service as the browser sees it. */
  serviceUrl: string;
  orgId: string;
  /** HS256 secret for agent tokens (ORG_SIGNING_SECRET). */
  signingSecret: string;
  /** Standard Webhooks secret (ORG_WEBHOOK_SECRET, `whsec_…`). */
  webhookSecret: string;
  logLevel?: string;
  /** Where log lines go instead of stdout (`npm start` passes a pretty-printing stream, or the service's buffered one). */
  logStream?: { write(line: string): void };
}

const AGENT_TOKEN_TTL_SECONDS = 300;
const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

const ErrorBody = Type.Object({ statusCode: Type.Number(), code: Type.String(), error: Type.String(), message: Type.String() });
const MessageSchema = Type.Object({
  id: Type.Number(),
  from: Type.Union([Type.Literal('agent'), Type.Literal('client'), Type.Literal('system')]),
  text: Type.String(),
  link: Type.Optional(Type.String()),
  callId: Type.Optional(Type.String()),
  callEnded: Type.Optional(Type.Boolean()),
  callStatus: Type.Optional(Type.Union([
    Type.Literal(CallCardStatus.sent), Type.Literal(CallCardStatus.opened), Type.Literal(CallCardStatus.inCall), Type.Literal(CallCardStatus.ended),
    Type.Literal(CallCardStatus.missed), Type.Literal(CallCardStatus.expired), Type.Literal(CallCardStatus.agentLeft),
  ])),
  callStatusText: Type.Optional(Type.String()),
  at: Type.String(),
});
const ConversationSchema = Type.Object({
  id: Type.String(),
  clientId: Type.String(),
  clientName: Type.String(),
  started: Type.Boolean(),
  ownerId: Type.Union([Type.String(), Type.Null()]),
  ownerName: Type.Union([Type.String(), Type.Null()]),
  messages: Type.Array(MessageSchema),
});

function notFound(message: string) {
  return { statusCode: 404, code: 'not_found', error: 'Not Found', message };
}

function forbidden(code: string, message: string) {
  return { statusCode: 403, code, error: 'Forbidden', message };
}

/** Builds the demo helpdesk app (not listening). */
export async function buildDemo(options: DemoOptions): Promise<FastifyInstance> {
  const logger = { level: options.logLevel ?? 'info', ...(options.logStream ? { stream: options.logStream } : {}) };
  const app = Fastify({ logger: options.logLevel === 'silent' ? false : logger })
    .withTypeProvider<TypeBoxTypeProvider>();
  const helpdesk = new Helpdesk();
  const webhook = new Webhook(options.webhookSecret);
  const signingKey = new TextEncoder().encode(options.signingSecret);

  await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/static/' });

  app.get('/', { schema: { response: { 200: Type.String() } } }, async (_req, reply) => {
    const config = JSON.stringify({ serviceUrl: options.serviceUrl, agent: CURRENT_AGENT }).replace(/</g, '\\u003c');
    return reply.type('text/html; charset=utf-8').send(PAGE(options.serviceUrl, config));
  });

  app.get('/api/conversations', { schema: { response: { 200: Type.Array(ConversationSchema) } } }, async () => helpdesk.list());

  app.post('/api/conversations/:id/start', {
    schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 200: ConversationSchema, 404: ErrorBody } },
  }, async (req, reply) => {
    const c = helpdesk.start(req.params.id);
    return c ? c : reply.code(404).send(notFound('No such conversation.'));
  });

  app.post('/api/conversations/:id/messages', {
    schema: {
      params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
      response: { 201: MessageSchema, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (req, reply) => {
    const c = helpdesk.get(req.params.id);
    if (!c) return reply.code(404).send(notFound('No such conversation.'));
    // The page hides the message box elsewhere; the server is what actually refuses.
    if (!helpdesk.agentMayWrite(c)) {
      return reply.code(403).send(c.started
        ? forbidden('not_conversation_owner', `${c.ownerName ?? 'Another agent'} owns this conversation.`)
        : forbidden('conversation_not_started', 'Start the conversation before writing in it.'));
    }
    const m = helpdesk.addMessage(c.id, { from: 'agent', text: req.body.text, at: new Date().toISOString() });
    return m ? reply.code(201).send(m) : reply.code(404).send(notFound('No such conversation.'));
  });

  // The agent token states what the helpdesk knows about this conversation; Switchboard
  // checks the prerequisites from it, never from the browser.
  app.get('/api/agent-token', {
    schema: {
      querystring: Type.Object({ conversationId: Type.String({ maxLength: 64 }) }),
      response: { 200: Type.Object({ token: Type.String() }), 404: ErrorBody },
    },
  }, async (req, reply) => {
    const c = helpdesk.get(req.query.conversationId);
    if (!c) return reply.code(404).send(notFound('No such conversation.'));
    return { token: await mintAgentToken(c) };
  });

  async function mintAgentToken(c: Conversation): Promise<string> {
    return new SignJWT({
      name: CURRENT_AGENT.name,
      conversation_id: c.id,
      client_id: c.clientId,
      client_name: c.clientName,
      conversation_started: c.started,
      conversation_owner_id: c.ownerId,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(options.orgId)
      .setAudience('switchboard')
      .setSubject(CURRENT_AGENT.id)
      .setIssuedAt()
      .setExpirationTime(`${AGENT_TOKEN_TTL_SECONDS}s`)
      .sign(signingKey);
  }

  // Server-sent events: the page learns about new messages (the invite) without a reload.
  // Open streams are ended on close, or a page left open would keep close() (Ctrl+C) waiting.
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });
  app.get('/api/stream', async (req, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    const unsubscribe = helpdesk.subscribe((c) => reply.raw.write(`event: conversation\ndata: ${JSON.stringify(c)}\n\n`));
    const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
    const end = () => reply.raw.end();
    streams.add(end);
    req.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(end);
    });
  });

  // Webhooks are verified over the exact bytes received.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));
    scope.post('/switchboard/webhook', {
      schema: { response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody } },
    }, async (req, reply) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      let event: { type: string; data: Record<string, unknown> };
      try {
        event = webhook.verify(raw, req.headers as Record<string, string>) as typeof event;
      } catch (err) {
        const code = err instanceof WebhookVerificationError ? 'invalid_signature' : 'invalid_body';
        return reply.code(401).send({ statusCode: 401, code, error: 'Unauthorized', message: 'Webhook signature could not be verified.' });
      }
      const id = String(req.headers['webhook-id']);
      if (!helpdesk.firstDelivery(id)) return reply.code(204).send(null);
      handleEvent(event);
      return reply.code(204).send(null);
    });
  });

  function handleEvent(event: { type: string; timestamp?: unknown; data: Record<string, unknown> }): void {
    const conversationId = typeof event.data.conversationId === 'string' ? event.data.conversationId : '';
    const callId = typeof event.data.callId === 'string' ? event.data.callId : undefined;
    const at = new Date().toISOString();
    // When it happened (the webhook may arrive late): durations come from these, not from arrival times.
    const happenedAt = typeof event.timestamp === 'string' && Number.isFinite(Date.parse(event.timestamp)) ? Date.parse(event.timestamp) : Date.now();
    switch (event.type) {
      case 'call.invite': {
        const link = typeof event.data.joinUrl === 'string' ? event.data.joinUrl : undefined;
        const text = typeof event.data.text === 'string' ? event.data.text : 'Join the call';
        const message = { from: 'agent' as const, text, ...(link ? { link } : {}), at };
        if (callId) helpdesk.invitePosted(conversationId, callId, message);
        else helpdesk.addMessage(conversationId, message);
        break;
      }
      case 'call.link_opened':
        update(callId, (facts) => advance(facts, CallCardStatus.opened));
        break;
      case 'call.client_joined':
        update(callId, (facts) => {
          facts.joinedAt ??= happenedAt;
          return advance(facts, CallCardStatus.inCall);
        });
        helpdesk.addMessage(conversationId, { from: 'system', text: 'The client joined the call.', at });
        break;
      case 'call.client_left':
        helpdesk.addMessage(conversationId, { from: 'system', text: 'The client left the call.', at });
        break;
      case 'call.screen_share_started':
      case 'call.screen_share_stopped': {
        const by = event.data.by === 'client' ? 'The client' : 'The agent';
        const what = event.type === 'call.screen_share_started' ? 'started' : 'stopped';
        if (event.type === 'call.screen_share_started') {
          update(callId, (facts) => {
            facts.screenSharedBy.add(event.data.by === 'client' ? 'client' : 'agent');
            return false;
          });
        }
        helpdesk.addMessage(conversationId, { from: 'system', text: `${by} ${what} sharing their screen.`, at });
        break;
      }
      case 'call.media_blocked': {
        const who = event.data.by === 'client' ? 'The client' : 'The agent';
        const device = typeof event.data.device === 'string' ? event.data.device : 'device';
        const reason = event.data.reason === 'permission_denied' ? 'access was denied in the browser'
          : event.data.reason === 'device_busy' ? 'it is used by another application'
          : typeof event.data.reason === 'string' ? event.data.reason.replace(/_/g, ' ') : 'unknown reason';
        helpdesk.addMessage(conversationId, { from: 'system', text: `${who}'s ${device} could not start: ${reason}.`, at });
        break;
      }
      case 'call.ended':
        callEnded(conversationId, callId, event.data, happenedAt, at);
        break;
      default:
        break;
    }
  }

  /** The invite turns dead and shows how the call ended; a summary is posted (once per call). */
  function callEnded(conversationId: string, callId: string | undefined, data: Record<string, unknown>, happenedAt: number, at: string): void {
    if (callId) helpdesk.callEnded(conversationId, callId);
    const reason = typeof data.reason === 'string' ? data.reason : 'unknown';
    const seconds = typeof data.durationSeconds === 'number' ? data.durationSeconds : null;
    const ended = update(callId, (facts) => {
      facts.endReason = reason;
      facts.durationSeconds = facts.joinedAt !== null ? Math.max(0, Math.round((happenedAt - facts.joinedAt) / 1000)) : seconds;
      return advance(facts, endStatus(reason, facts.joinedAt !== null));
    });
    const entry = callId ? helpdesk.callFacts(callId) : undefined;
    if (ended && entry) {
      const client = helpdesk.get(conversationId)?.clientName ?? 'the client';
      helpdesk.addMessage(conversationId, { from: 'system', text: summaryText(entry.facts, { agent: CURRENT_AGENT.name, client }), at });
    } else if (!entry) {
      // A call whose invite this demo never saw: a plain line.
      const duration = seconds === null ? '' : ` (${Math.floor(seconds / 60)} min ${seconds % 60} s)`;
      helpdesk.addMessage(conversationId, { from: 'system', text: `The call has ended${duration}.`, at });
    }
  }

  function update(callId: string | undefined, fn: Parameters<Helpdesk['updateCall']>[1]): boolean {
    return callId ? helpdesk.updateCall(callId, fn) : false;
  }

  return app;
}

function PAGE(serviceUrl: string, config: string): string {
  const sdk = new URL('/sdk/switchboard.js', serviceUrl).href;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo Helpdesk · Switchboard</title>
<link rel="stylesheet" href="/static/styles.css">
<script type="module" src="${sdk}"></script>
<script>window.DEMO = ${config};</script>
<script type="module" src="/static/app.js"></script>
</head>
<body>
<header class="top"><strong>Demo Helpdesk</strong><span class="who">Signed in as <b id="agent-name"></b></span></header>
<main class="layout">
  <nav class="clients" aria-label="Clients"><h2>Clients</h2><ul id="client-list"></ul></nav>
  <section class="conversation" aria-label="Conversation">
    <header class="conv-head">
      <div><h1 id="conv-title">No client selected</h1><p id="conv-state" class="muted">Pick a client on the left.</p></div>
      <div class="actions">
        <button id="start-conversation" type="button" hidden>Start conversation</button>
        <call-button id="call" service-url="${serviceUrl}"></call-button>
      </div>
    </header>
    <ol id="messages" class="messages"></ol>
    <form id="composer" class="composer" hidden><input name="text" autocomplete="off" placeholder="Write a message…" aria-label="Message"><button type="submit">Send</button></form>
  </section>
</main>
</body>
</html>`;
}
