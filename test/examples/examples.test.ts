/**
 * The integration examples (examples/*, docs/integration.md): each example's server runs as a person runs it
 * (`node examples/<name>/server.mjs` with its environment), against a Switchboard service started in this process
 * with its webhooks pointed at that example; the page is driven in Chromium from a blank start to an open call.
 */
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { loadConfig, repoRoot } from '../../service/config.js';
import { startService } from '../../service/server.js';
import { launchChromium, mediaContext } from '../support/browser.js';
import { freePort } from '../support/free-port.js';

const STEP_TIMEOUT_MS = 20_000;

/** Each example, and how it gets the org's secrets: the service's DATA_DIR/secrets.json (the default) or the environment. */
const EXAMPLES = [
  { name: 'plain-html', secrets: 'file', clientJoins: true },
  { name: 'react', secrets: 'file', clientJoins: false },
  { name: 'vue', secrets: 'env', clientJoins: false },
] as const;

let browser: Browser;

before(async () => {
  // The service serves the SDK from dist/; `npm test` builds it first, a lone run of this file may need to.
  if (!existsSync(join(repoRoot, 'dist', 'switchboard.js'))) await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: repoRoot });
  browser = await launchChromium();
});
after(() => browser?.close());

/** Starts `node examples/<name>/server.mjs`; resolves with its URL once it listens. */
async function startExample(t: TestContext, name: string, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [join(repoRoot, 'examples', name, 'server.mjs')], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  t.after(async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`examples/${name}/server.mjs did not start:\n${output}`)), STEP_TIMEOUT_MS);
    child.stdout.on('data', () => {
      const url = /Example host app on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`examples/${name}/server.mjs exited with ${code}:\n${output}`));
    });
  });
}

/** The inner <button> of <call-button> (open shadow root). */
const phoneButton = (page: Page) => page.locator('call-button').getByRole('button');

/** The example's status line (written by its call-created / call-ended / call-error listeners), once not empty and starting with `prefix`. */
async function statusText(page: Page, prefix = ''): Promise<string> {
  const text = await page.waitForFunction((p) => {
    const line = document.querySelector('main > p[role="status"]')?.textContent ?? '';
    return line !== '' && line.startsWith(p) ? line : null;
  }, prefix);
  return (await text.jsonValue()) ?? '';
}

for (const example of EXAMPLES) {
  test(`${example.name}: the page's <call-button> opens a call, the example verifies the invite webhook and shows it`, async (t) => {
    // The service sends webhooks to the example, so the example's port is chosen first.
    const examplePort = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-example-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const secretsEnv: Record<string, string> = example.secrets === 'env'
      ? { ORG_SIGNING_SECRET: randomBytes(32).toString('base64url'), ORG_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}` }
      : {};
    const config = loadConfig({
      ...secretsEnv,
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      ORG_WEBHOOK_URL: `http://127.0.0.1:${examplePort}/switchboard/webhook`,
    });
    const service = await startService(config);
    t.after(() => service.close());
    const exampleUrl = await startExample(t, example.name, {
      SWITCHBOARD_URL: service.url,
      EXAMPLE_PORT: String(examplePort),
      ...(example.secrets === 'env' ? secretsEnv : { DATA_DIR: dataDir }),
    });

    const context = await mediaContext(browser);
    t.after(() => context.close());
    const agent = await context.newPage();
    agent.setDefaultTimeout(STEP_TIMEOUT_MS);
    const pageErrors: string[] = [];
    agent.on('pageerror', (err) => pageErrors.push(err.message));
    await agent.goto(exampleUrl);

    // The element is defined and starts disabled; picking a client is not enough until the conversation is started.
    await agent.waitForFunction(() => customElements.get('call-button') !== undefined);
    await phoneButton(agent).waitFor();
    assert.equal(await phoneButton(agent).isDisabled(), true, 'disabled before a client is picked');
    await agent.getByRole('button', { name: 'Bob Lambert' }).click();
    await agent.getByRole('heading', { name: 'Bob Lambert' }).waitFor();
    assert.equal(await phoneButton(agent).isDisabled(), true, 'disabled while the conversation is not started');
    await agent.getByRole('button', { name: 'Start conversation' }).click();
    await agent.waitForFunction(() => document.querySelector('call-button')?.shadowRoot?.querySelector('button')?.disabled === false);

    // The click creates the call (agent token from the example's backend) and opens the agent's room.
    await phoneButton(agent).click();
    assert.match(await statusText(agent), /^Call .+ is open/, 'call-created (otherwise the call-error message)');
    await agent.locator('call-room[side="agent"]').waitFor();

    // The invite reached the example's receiver, which verified it and posted it into the conversation.
    const link = agent.locator('a.join-link');
    await link.waitFor();
    const joinUrl = (await link.getAttribute('href')) ?? '';
    assert.match(joinUrl, new RegExp(`^${service.url}/join/[^#/]+#.+`));
    const callId = new URL(joinUrl).pathname.split('/').pop()!;
    const listed = await fetch(`${service.url}/v1/webhooks/deliveries?callId=${callId}`, { headers: { authorization: `Bearer ${config.org.apiKey}` } });
    const { deliveries } = (await listed.json()) as { deliveries: { type: string; status: string }[] };
    assert.deepEqual(deliveries.filter((d) => d.type === 'call.invite').map((d) => d.status), ['delivered']);

    // A webhook signed with another secret is refused and shows nothing.
    const forged = JSON.stringify({ type: 'call.invite', timestamp: new Date().toISOString(), data: { conversationId: 'example-bob', text: 'x', joinUrl: 'http://forged.invalid/' } });
    const sentAt = new Date();
    const refused = await fetch(`${exampleUrl}/switchboard/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': new Webhook(`whsec_${randomBytes(24).toString('base64')}`).sign('msg_forged', sentAt, forged),
      },
      body: forged,
    });
    assert.equal(refused.status, 401);

    if (example.clientJoins) {
      // The client opens the link (the service's hosted join page): both rooms connect.
      const clientContext = await mediaContext(browser);
      t.after(() => clientContext.close());
      const client = await clientContext.newPage();
      client.setDefaultTimeout(STEP_TIMEOUT_MS);
      await client.goto(joinUrl);
      await client.locator('call-room [part~="join"]').click();
      await client.locator('call-room[status="connected"]').waitFor();
      await agent.locator('call-room[status="connected"]').waitFor();
      await agent.getByText('The client joined the call.').waitFor();
    }

    // END CALL closes the room; the page hears call-ended, and the call.ended webhook reaches the conversation.
    await agent.locator('call-room').locator('[part="end"]').click();
    await agent.locator('call-room').waitFor({ state: 'detached' });
    assert.equal(await statusText(agent, 'Call ended'), 'Call ended (local).');
    await agent.getByText(/The call ended \(ended_by_agent/).waitFor();
    assert.equal(await link.count(), 1, 'the forged invite was not shown');
    assert.deepEqual(pageErrors, []);
  });
}
