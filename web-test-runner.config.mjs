// SDK tests in Debian's Chromium with fake camera/microphone/screen, against the real
// service on 127.0.0.1 (test/support/wtr-service.ts) and a real LiveKit server
// (test/support/wtr-livekit.ts). Run under `node --import tsx`.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startTestService } from './test/support/wtr-service.ts';
import { livekitTestServer } from './test/support/wtr-livekit.ts';
import { CHROMIUM_ARGS } from './test/support/browser.ts';

const service = await startTestService();
// A real LiveKit server, started by the first test that asks for a token.
const livekit = livekitTestServer();
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default {
  files: ['test/sdk/**/*.test.ts'],
  nodeResolve: { browser: true },
  concurrency: 1,
  testsFinishTimeout: 120_000,
  testFramework: { config: { timeout: 15_000 } },
  middleware: [service.middleware, livekit.middleware],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    { name: 'switchboard-service', serverStop: () => service.close() },
    { name: 'livekit-server', serverStop: () => livekit.close() },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          ...CHROMIUM_ARGS,
          `--user-data-dir=${mkdtempSync(join(tmpdir(), 'sb-wtr-'))}`,
        ],
      },
    }),
  ],
};
