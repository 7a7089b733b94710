/**
 * A server the capacity figures measure, in a process of its own (its resident memory is its own, and the load
 * generator does not share its event loop): the service as deployed (`buildApp` + listen, as `node --import tsx`
 * runs it, or the same code bundled by esbuild and run by plain node), or a bare Fastify app answering the same kind
 * of requests with nothing behind them. Started and stopped by servers.ts over IPC; never run by hand.
 */
import type { ChildMessage, ParentMessage, ServerSpec } from './servers.js';

const spec = JSON.parse(process.env.BENCH_SERVER_SPEC ?? '{}') as ServerSpec;

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function start(): Promise<{ url: string; close: () => Promise<void>; sockets: () => number }> {
  // Imported here, not at the top: the bare app's memory must not include the service's modules.
  if (spec.kind === 'bare') return (await import('./bare-server.js')).startBareServer();
  const { loadConfig } = await import('../../../service/config.js');
  const { startService } = await import('../../../service/server.js');
  const config = loadConfig({
    DATA_DIR: 'memory://', LOG_LEVEL: spec.logLevel ?? 'info', LOG_FORMAT: spec.logFormat ?? 'json', HOST: '127.0.0.1', PORT: '0',
    ORG_ID: spec.org.id, ORG_SIGNING_SECRET: spec.org.signingSecret, ORG_WEBHOOK_URL: spec.webhookUrl,
    ORG_WEBHOOK_SECRET: spec.webhookSecret, SERVICE_SECRET: spec.serviceSecret,
    ...(spec.databaseUrl ? { DATABASE_URL: spec.databaseUrl } : {}),
  });
  // A bundle's import.meta.url is not service/config.ts's: the bench says where the SDK bundle is.
  config.sdkDir = spec.sdkDir;
  // One address sends everything here: the per-IP and per-agent limits would answer 429 (their cost stays counted).
  for (const rule of Object.values(config.rateLimits)) rule.max = Number.MAX_SAFE_INTEGER;
  const service = await startService(config);
  const sockets = () => {
    const counts = service.app.liveHub.socketCounts();
    return counts.agent + counts.client;
  };
  return { url: service.url, close: () => service.close(), sockets };
}

const server = await start();
process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'memory':
      // After a full collection (the process runs with --expose-gc): what stays, not what waits to be collected.
      globalThis.gc?.();
      send({ type: 'memory', id: message.id, usage: process.memoryUsage(), sockets: server.sockets() });
      return;
    case 'cpu':
      send({ type: 'cpu', id: message.id, usage: process.cpuUsage() });
      return;
    case 'close':
      // process.exit() so that --cpu-prof and --heap-prof write their files.
      void server.close().finally(() => process.exit(0));
  }
});
send({ type: 'ready', url: server.url });
