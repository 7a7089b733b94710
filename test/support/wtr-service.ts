/**
 * web-test-runner middleware backed by the real Switchboard service: the SDK's element
 * tests talk to a real Fastify app (in-memory PGlite) on 127.0.0.1, started with the
 * test server and stopped with it.
 *   GET  /__test/env          → { serviceUrl }
 *   POST /__test/agent-token  → { token }  (JSON body: claim overrides; by default a callable
 *                                agent on a fresh conversation: client selected, started, owned)
 */
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { loadConfig, type Config } from '../../service/config.js';
import { startService } from '../../service/server.js';
import { signAgentToken } from '../../service/domain/agent-token.js';
import { freePort } from './free-port.js';

/** The part of web-test-runner's (Koa) middleware context the test middlewares use. */
export interface KoaLikeContext {
  path: string;
  method: string;
  req: IncomingMessage;
  status: number;
  type: string;
  body: unknown;
}

/** The running service plus the middleware exposing it to browser tests. */
export async function startTestService(): Promise<{
  config: Config;
  middleware: (ctx: KoaLikeContext, next: () => Promise<unknown>) => Promise<unknown>;
  close: () => Promise<void>;
}> {
  const port = await freePort();
  const config = loadConfig({ DATA_DIR: 'memory://', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const service = await startService(config);

  const middleware = async (ctx: KoaLikeContext, next: () => Promise<unknown>) => {
    if (ctx.path === '/__test/env') {
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ serviceUrl: service.url });
      return;
    }
    if (ctx.path === '/__test/agent-token' && ctx.method === 'POST') {
      let raw = '';
      for await (const chunk of ctx.req) raw += String(chunk);
      const overrides = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      // A callable agent on a conversation of its own unless the test says otherwise.
      const claims = {
        sub: 'agent-1',
        name: 'Alice Agent',
        conversation_id: `conv-${randomUUID()}`,
        client_id: 'client-1',
        client_name: 'Bob Client',
        conversation_started: true,
        conversation_owner_id: 'agent-1',
        ...overrides,
      };
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ token: await signAgentToken(config, claims) });
      return;
    }
    return next();
  };
  return { config, middleware, close: () => service.close() };
}
