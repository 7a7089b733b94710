/**
 * `npm run start:livekit`: `npm start` in LiveKit mode, with a LiveKit server on this machine
 * (built once from source by scripts/ensure-livekit.mjs), so one can watch the production media
 * path work end to end. The server gets a generated config (loopback, random key and secret,
 * webhooks to the service's /v1/livekit/webhook); the service gets LIVEKIT_* pointing at it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadConfigOrExit } from '../service/server.js';
import { ensureLivekitServer, LivekitServerMissing } from './ensure-livekit.mjs';
import { startLivekitServer } from '../test/support/livekit-server.js';

async function main(): Promise<void> {
  try {
    ensureLivekitServer();
  } catch (err) {
    console.error(err instanceof LivekitServerMissing ? err.message : `Could not build livekit-server: ${(err as Error).message}`);
    process.exit(1);
  }
  // Read the way `npm start` will read it, for the address LiveKit must post its webhooks to.
  const { publicUrl } = loadConfigOrExit();
  const apiKey = 'switchboard-local';
  const livekit = await startLivekitServer({ apiKey, apiSecret: randomBytes(32).toString('base64url'), webhookUrl: `${publicUrl}/v1/livekit/webhook` });
  console.log(`LiveKit server ${livekit.url} (API key ${apiKey}; webhooks to ${publicUrl}/v1/livekit/webhook)`);

  const child = spawn('npm', ['start'], {
    stdio: 'inherit',
    env: { ...process.env, LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret },
  });
  // Ctrl+C reaches the whole foreground group; a plain SIGTERM to this process is passed on.
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGINT', () => undefined);
  child.on('exit', (code, signal) => {
    void livekit.stop().then(() => process.exit(code ?? (signal ? 1 : 0)));
  });
}

await main();
