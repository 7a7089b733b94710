// Helpers of the webhook tests: a config aimed at a receiver, a call's outbox rows, signatures, a gate to hold answers.
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import type { Config } from '../../service/config.js';
import { fastConfig, type Delivery } from './helper.js';

/** The fast test config, delivering to `url`, with webhook timings and env overridden. */
export function webhookConfig(url: string, tweak: Partial<Config['webhooks']> = {}, env: Record<string, string> = {}): Config {
  const config = fastConfig({ ORG_WEBHOOK_URL: url, ...env });
  return { ...config, webhooks: { ...config.webhooks, ...tweak } };
}

/** Verifies a received request as the host would (throws when the signature does not match). */
export function verifySignature(config: Config, d: Delivery): unknown {
  return new Webhook(config.org.webhookSecret).verify(d.body, {
    'webhook-id': String(d.headers['webhook-id']),
    'webhook-timestamp': String(d.headers['webhook-timestamp']),
    'webhook-signature': String(d.headers['webhook-signature']),
  });
}

/** The outbox rows of a call, in write order. */
export function deliveryRows(app: FastifyInstance, callId: string) {
  return app.db.selectFrom('webhook_deliveries').selectAll().where('call_id', '=', callId).orderBy('seq').execute();
}

/** The event types a receiver got for one call, in arrival order. */
export function typesFor(deliveries: readonly Delivery[], callId: string): string[] {
  return deliveries.filter((d) => d.json.data.callId === callId).map((d) => d.json.type);
}

/** A promise to hold a receiver's answer until the test opens it. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** `Authorization` header with the org API key. */
export function apiKey(config: Config): { authorization: string } {
  return { authorization: `Bearer ${config.org.apiKey}` };
}
