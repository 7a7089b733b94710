// GET /healthz: the process answers (liveness). GET /readyz: this instance can serve calls (readiness).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { RoomServiceClient } from 'livekit-server-sdk';
import { Type } from 'typebox';
import { isLivekitMedia } from '../media/livekit.js';

/** Longest wait for one dependency before it counts as unavailable: a load balancer's probe is usually given a few seconds. */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;
/** A room name no call uses: listing it asks LiveKit for nothing but an answer. */
const PROBE_ROOM = 'switchboard-readiness-probe';

/** What a check found; details go to the log, never into the body. */
const CheckResult = Type.Union([Type.Literal('ok'), Type.Literal('unavailable'), Type.Literal('timeout')]);
type CheckResult = 'ok' | 'unavailable' | 'timeout';

const Checks = Type.Record(Type.String(), CheckResult);

const health: FastifyPluginAsyncTypebox = async (fastify) => {
  // Liveness touches no dependency: a database outage must not get every instance restarted, only taken out of rotation.
  fastify.get('/healthz', {
    schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  const media = fastify.media;
  const livekit = isLivekitMedia(media)
    ? new RoomServiceClient(media.settings.url.replace(/^ws/, 'http'), media.settings.apiKey, media.settings.apiSecret, { requestTimeout: READINESS_CHECK_TIMEOUT_MS / 1000 })
    : null;

  /** Runs one check with the common timeout; a failure is logged with its reason. */
  const check = async (name: string, probe: () => Promise<unknown>): Promise<CheckResult> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), READINESS_CHECK_TIMEOUT_MS)));
    try {
      const result = await Promise.race([probe().then(() => 'ok' as const), timeout]);
      if (result === 'timeout') fastify.log.warn(`readiness: ${name} did not answer within ${READINESS_CHECK_TIMEOUT_MS} ms`);
      return result;
    } catch (err) {
      fastify.log.warn(`readiness: ${name} failed: ${(err as Error).message}`);
      return 'unavailable';
    } finally {
      clearTimeout(timer);
    }
  };

  fastify.get('/readyz', {
    schema: {
      response: {
        200: Type.Object({ status: Type.Literal('ok'), checks: Checks }),
        503: Type.Object({ status: Type.Literal('unavailable'), checks: Checks }),
      },
    },
  }, async (_request, reply) => {
    const [database, liveBus, livekitApi] = await Promise.all([
      check('database', () => sql`select 1`.execute(fastify.db)),
      check('live bus', async () => {
        if (!fastify.liveBus.connected) throw new Error('not listening');
      }),
      livekit ? check('LiveKit API', () => livekit.listRooms([PROBE_ROOM])) : null,
    ]);
    const checks: Record<string, CheckResult> = { database, liveBus, ...(livekitApi ? { livekit: livekitApi } : {}) };
    if (Object.values(checks).every((c) => c === 'ok')) return { status: 'ok' as const, checks };
    return reply.code(503).send({ status: 'unavailable' as const, checks });
  });
};

export default health;
