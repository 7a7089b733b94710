// The calls service, the webhook worker and the live hub, wired together.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { CallsService } from '../domain/calls-service.js';
import { CredentialsIssuer } from '../domain/credentials.js';
import { LiveHub } from '../live/live-hub.js';
import { createMedia } from '../media/index.js';
import type { MediaAdapter } from '../media/media-adapter.js';
import { inviteLinks } from '../webhooks/invite-link.js';
import { WebhookOutbox } from '../webhooks/webhook-outbox.js';
import { WebhookWorker } from '../webhooks/webhook-worker.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Call lifecycle, joins and events. */
    calls: CallsService;
    /** Signs and verifies call credentials. */
    credentials: CredentialsIssuer;
    /** Delivers the webhook outbox. */
    webhookWorker: WebhookWorker;
    /** The webhook outbox's rows: listed and replayed by the deliveries routes. */
    webhookOutbox: WebhookOutbox;
    /** Live sockets of the calls in progress. */
    liveHub: LiveHub;
    /** The media path (direct or LiveKit); the LiveKit webhook route uses its room operations. */
    media: MediaAdapter;
  }
}

async function callsPlugin(fastify: FastifyInstance, opts: { config: Config }): Promise<void> {
  const { config } = opts;
  const credentials = new CredentialsIssuer(config.serviceSecret);
  const media = createMedia(config, fastify.log.child({ module: 'media' }));
  // Each call takes its link lifetime and ring timeout from its org.
  const log = fastify.log.child({ module: 'calls' });
  const calls = new CallsService({ db: fastify.db, config, credentials, media, orgs: fastify.orgs.directory, presence: fastify.liveBus, log });
  const outbox = new WebhookOutbox(fastify.db);
  const worker = new WebhookWorker({
    outbox,
    joinUrls: inviteLinks({ db: fastify.db, publicUrl: config.publicUrl, serviceSecret: config.serviceSecret }),
    // Each row goes to its own org's endpoint, signed with that org's secret.
    endpoint: (orgId) => fastify.orgs.directory.webhookEndpoint(orgId),
    ...config.webhooks,
    // The invites answered in one turn mark their links delivered (and their calls ringing) in one statement.
    onDelivered: async (rows) => {
      await calls.linksDelivered(rows.flatMap((row) => (row.event_type === 'call.invite' && row.call_id ? [row.call_id] : [])));
    },
    // With the call (and delivery) it is about, so an operator finds every line of one call.
    onError: (message, row) => log.warn(row ? { callId: row.call_id ?? undefined, deliveryId: row.id } : {}, message),
  });
  const hub = new LiveHub({ calls, bus: fastify.liveBus, pingIntervalMs: config.livePingIntervalMs, onError: (message, callId) => log.warn(callId ? { callId } : {}, message) });
  calls.observe({
    callChanged: (call) => hub.callChanged(call),
    eventsRecorded: (callId, events) => hub.eventsRecorded(callId, events),
    clientSessionChanged: (callId, sessionId) => hub.revokeOtherSessions(callId, 'client', sessionId),
    outboxWritten: () => worker.kick(),
  });

  // Every instance runs the timer; an advisory lock lets one of them sweep at a time (PostgreSQL).
  const runSweep = () => fastify.jobLock.runExclusive('sweep', () => calls.sweep());
  const sweep = setInterval(() => {
    runSweep().catch((err: Error) => log.warn(`sweep failed: ${err.message}`));
  }, config.sweepIntervalMs);
  sweep.unref();

  fastify.decorate('credentials', credentials);
  fastify.decorate('calls', calls);
  fastify.decorate('webhookWorker', worker);
  fastify.decorate('webhookOutbox', outbox);
  fastify.decorate('liveHub', hub);
  fastify.addHook('onReady', async () => {
    worker.start();
    await runSweep();
  });
  fastify.decorate('media', media);
  fastify.addHook('onClose', async () => {
    clearInterval(sweep);
    await hub.close();
    // Deliveries in flight finish (each is bounded by its timeout); no new lease is taken.
    await worker.stop({ drainMs: config.webhooks.timeoutMs });
    await media.close();
  });
}

/** Decorates `calls`, `credentials`, `webhookWorker`, `webhookOutbox` and `liveHub`. */
export default fp(callsPlugin, { name: 'switchboard-calls', fastify: '5.x', dependencies: ['switchboard-store', 'switchboard-orgs'] });
