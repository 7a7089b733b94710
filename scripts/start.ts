/**
 * `npm start`: the Switchboard service and the demo helpdesk on their embedded defaults
 * (PGlite under DATA_DIR, direct peer-to-peer media, generated org secrets). Logs are one
 * readable line per entry; LOG_FORMAT=json writes pino's JSON lines instead.
 */
import { bufferedStdout, prettyLogStream } from '../service/app.js';
import { closeOnSignal, loadConfigOrExit, startService } from '../service/server.js';
import { buildDemo } from '../demo/app.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const service = await startService(config);
  const demo = await buildDemo({
    serviceUrl: config.publicUrl,
    orgId: config.org.id,
    signingSecret: config.org.signingSecret,
    webhookSecret: config.org.webhookSecret,
    logLevel: config.logLevel,
    // Same format as the service's lines (LOG_FORMAT); JSON lines through the service's own buffered destination, so
    // that the two apps' lines never cut each other.
    logStream: config.logFormat === 'pretty' ? prettyLogStream() : bufferedStdout(),
  });
  const demoUrl = await demo.listen({ host: config.host, port: config.demo.port });

  console.log(`\nSwitchboard is running.
  Demo helpdesk (agent side):  ${demoUrl}
  Service API:                 ${config.publicUrl}
  SDK bundle:                  ${config.publicUrl}/sdk/switchboard.js
Open the demo, pick a client, press "Start conversation", then the phone button.
Open the "Join the call" link from the conversation in another browser window to join as the client.
Stop with Ctrl+C.\n`);

  closeOnSignal(() => Promise.all([demo.close(), service.close()]));
}

await main();
