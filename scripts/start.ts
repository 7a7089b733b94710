/**
 * `npm start`: the Switchboard service and the demo helpdesk on their embedded defaults
 * (PGlite under DATA_DIR, direct peer-to-peer media, generated org secrets).
 */
import { loadConfig, ConfigError } from '../service/config.js';
import { startService } from '../service/server.js';
import { buildDemo } from '../demo/app.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const service = await startService(config);
  const demo = await buildDemo({
    serviceUrl: config.publicUrl,
    orgId: config.org.id,
    signingSecret: config.org.signingSecret,
    webhookSecret: config.org.webhookSecret,
    logLevel: config.logLevel,
  });
  const demoUrl = await demo.listen({ host: config.host, port: config.demo.port });

  console.log(`\nSwitchboard is running.
  Demo helpdesk (agent side):  ${demoUrl}
  Service API:                 ${config.publicUrl}
  SDK bundle:                  ${config.publicUrl}/sdk/switchboard.js
Open the demo, pick a client, press "Start conversation", then the phone button.
Open the "Join the call" link from the conversation in another browser window to join as the client.
Stop with Ctrl+C.\n`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down…`);
    void Promise.allSettled([demo.close(), service.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

await main();
