/**
 * The call ends while the client is still on the pre-join screen (direct mode; the pre-join opens no
 * media connection, so the mode does not matter): the client is not left looking at a preview of a
 * call that is over until they press Join. Within a few seconds their room shows the screen Join
 * would have shown (ended by the agent, or missed), and the preview's camera and microphone are
 * released. No live socket is opened before Join (that would mean "the client joined").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launchChromium, mediaContext, trackStates } from '../support/browser.js';
import { agentStartsCall } from '../support/call-flow.js';
import { startStack } from '../support/stack.js';

const STEP_TIMEOUT_MS = 30_000;

async function setUp(t: { after: (fn: () => unknown) => void }, env: Record<string, string> = {}) {
  const stack = await startStack({ env });
  t.after(() => stack.stop());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = async (): Promise<Page> => {
    const p = await (await mediaContext(browser)).newPage();
    p.setDefaultTimeout(STEP_TIMEOUT_MS);
    return p;
  };
  const agent = await page();
  const client = await page();
  // Every WebSocket the client's page opens (there must be none before Join).
  const sockets: string[] = [];
  client.on('websocket', (ws) => sockets.push(ws.url()));
  return { stack, agent, client, sockets };
}

/** The client opens the link and waits on the pre-join with the camera preview showing. */
async function openPrejoin(client: Page, joinUrl: string): Promise<void> {
  await client.goto(joinUrl);
  await client.locator('call-room video[part~="prejoin-preview"]').waitFor();
}

/** Every track the client's page captured was stopped (at least a microphone and a camera were). */
async function previewReleased(client: Page): Promise<void> {
  await client.waitForFunction(() => (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks.every((t) => t.readyState === 'ended'));
  const tracks = await trackStates(client);
  assert.ok(tracks.some((s) => s.startsWith('audio:')) && tracks.some((s) => s.startsWith('video:')), `the preview had captured both devices (${tracks.join()})`);
  assert.ok(tracks.every((s) => s.endsWith(':ended')), tracks.join());
}

test('the agent ends the call while the client is on the pre-join: the client sees it ended, the preview is released', async (t) => {
  const { stack, agent, client, sockets } = await setUp(t);
  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  await openPrejoin(client, joinUrl);
  await agent.locator('call-room [part="status"]').filter({ hasText: 'The client is checking their camera and microphone' }).waitFor();

  await agent.locator('call-room').getByRole('button', { name: /end call/i }).click();
  await agent.locator('call-room').waitFor({ state: 'detached' });

  const room = client.locator('call-room');
  await client.locator('call-room[status="ended"]').waitFor();
  await room.locator('[part="status"]').filter({ hasText: 'Call ended' }).waitFor();
  assert.equal(await room.locator('[part~="prejoin"]').count(), 0, 'the pre-join is gone');
  assert.equal(await room.locator('[part~="join"]').count(), 0, 'no Join button');
  assert.equal(await room.getByRole('button', { name: 'Rejoin' }).count(), 0, 'no Rejoin: the agent ended the call');
  await previewReleased(client);
  assert.deepEqual(sockets, [], 'no live socket was opened from the pre-join');
});

test('nobody answers while the client sits on the pre-join: the client sees the call was missed, the preview is released', async (t) => {
  const { stack, agent, client, sockets } = await setUp(t, { RING_TIMEOUT_SECONDS: '8' });
  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  await openPrejoin(client, joinUrl);

  const room = client.locator('call-room');
  await room.locator('[part="status"]').filter({ hasText: 'This call was missed. Ask Alice Martin to call you again.' }).waitFor();
  assert.equal(await room.getAttribute('status'), 'ended');
  assert.equal(await room.locator('[part~="prejoin"]').count(), 0, 'the pre-join is gone');
  await previewReleased(client);
  await agent.locator('call-room [part="status"]').filter({ hasText: /Missed call/ }).waitFor();
  assert.deepEqual(sockets, [], 'no live socket was opened from the pre-join');
});
