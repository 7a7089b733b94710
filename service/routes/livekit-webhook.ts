// POST /v1/livekit/webhook: LiveKit's room and participant events, verified over the raw body.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, ServiceError } from '../errors.js';
import { LivekitEvents } from '../livekit/livekit-events.js';
import { isLivekitMedia } from '../media/livekit.js';
import { errorResponses } from './schemas.js';

/** LiveKit's content type for webhooks: its own, so that nothing parses the body before the signature is checked. */
export const LIVEKIT_WEBHOOK_CONTENT_TYPE = 'application/webhook+json';
/** Largest webhook body accepted (a track event with every layer and codec is a few KB). */
const WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024;

const livekitWebhook: FastifyPluginAsyncTypebox = async (fastify) => {
  const media = fastify.media;
  const events = isLivekitMedia(media)
    ? new LivekitEvents({ db: fastify.db, calls: fastify.calls, media, log: fastify.log.child({ module: 'livekit-webhook' }) })
    : null;

  // Encapsulated in this plugin: the body stays the exact string LiveKit signed (its sha256 is in the JWT).
  fastify.addContentTypeParser(LIVEKIT_WEBHOOK_CONTENT_TYPE, { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));

  fastify.post('/v1/livekit/webhook', {
    bodyLimit: WEBHOOK_BODY_LIMIT_BYTES,
    schema: {
      description: `LiveKit's webhook (${LIVEKIT_WEBHOOK_CONTENT_TYPE}, \`Authorization\`: LiveKit's signed JWT carrying the body's sha256). LiveKit mode only.`,
      response: {
        200: Type.Object({ outcome: Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('ignored')]) }),
        ...errorResponses(400, 401, 404, 415, 500),
      },
    },
  }, async (request) => {
    if (!events) throw new ServiceError('not_found', 'LiveKit media mode is not configured');
    if (typeof request.body !== 'string') throw errors.invalidRequest(`LiveKit webhooks are ${LIVEKIT_WEBHOOK_CONTENT_TYPE}`);
    let event;
    try {
      event = await events.verify(request.body, request.headers.authorization);
    } catch {
      throw errors.unauthorized('The webhook is not signed with the LiveKit API key');
    }
    return { outcome: await events.apply(event) };
  });
};

export default livekitWebhook;
