/**
 * Screen sharing for real: the agent shares a browser tab (real tab capture, picked by
 * title), the client sees it in the main place with the camera as a thumbnail, and
 * closing the shared tab — what the browser's own "Stop sharing" does to the track —
 * stops sharing in the app, on the client's screen and in the host app (webhook).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from '../support/stack.js';
import { describeConnections, launchChromium, mediaContext } from '../support/browser.js';
import { agentStartsCall, clientJoins } from '../support/call-flow.js';

const SHARED_TAB_TITLE = 'Switchboard shared tab';
const STEP_TIMEOUT_MS = 20_000;

test('a screen shared by the agent takes the main place, and the browser stopping it stops it everywhere', async (t) => {
  const stack = await startStack();
  t.after(() => stack.stop());
  // No fake UI here: getDisplayMedia picks the real tab whose title matches.
  const browser = await launchChromium({ fakeUi: false, args: [`--auto-select-tab-capture-source-by-title=${SHARED_TAB_TITLE}`] });
  t.after(() => browser.close());
  const agentContext = await mediaContext(browser);
  const clientContext = await mediaContext(browser);
  const agent = await agentContext.newPage();
  const client = await clientContext.newPage();
  agent.setDefaultTimeout(STEP_TIMEOUT_MS);
  client.setDefaultTimeout(STEP_TIMEOUT_MS);

  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  await clientJoins(client, agent, joinUrl);

  const sharedTab = await agentContext.newPage();
  await sharedTab.setContent(`<title>${SHARED_TAB_TITLE}</title><h1 style="font-size:80px">Invoice #4711</h1>`);
  await agent.bringToFront();

  const shareButton = agent.locator('call-room').getByRole('button', { name: /share screen/i });
  await shareButton.click();
  await agent.waitForFunction(() => document.querySelector('call-room')?.shadowRoot?.querySelector('[part~="screen"]')?.getAttribute('aria-pressed') === 'true');
  await client.locator('call-room video[part~="remote-screen"]').waitFor().catch(async (err: unknown) => {
    throw new Error(`the client never showed the screen: ${String(err)}\nclient: ${await describeConnections(client)}\nagent: ${await describeConnections(agent)}`);
  });
  await client.locator('call-room video[part~="remote-camera"][part~="thumbnail"]').waitFor();
  await agent.locator('#messages').getByText('The agent started sharing their screen.').waitFor();

  const screenTrackState = () => agent.evaluate(() =>
    (window as unknown as { __screenTracks: MediaStreamTrack[] }).__screenTracks.map((tr) => `${tr.kind}:${tr.readyState}`));
  assert.deepEqual(await screenTrackState(), ['video:live']);

  // The browser ends the capture (as its "Stop sharing" bar does) when the shared tab goes away.
  await sharedTab.close();

  await agent.waitForFunction(() => document.querySelector('call-room')?.shadowRoot?.querySelector('[part~="screen"]')?.getAttribute('aria-pressed') === 'false');
  assert.deepEqual(await screenTrackState(), ['video:ended']);
  await client.locator('call-room video[part~="remote-screen"]').waitFor({ state: 'detached' });
  await client.locator('call-room video[part~="main-video"][part~="remote-camera"]').waitFor();
  await agent.locator('#messages').getByText('The agent stopped sharing their screen.').waitFor();
  assert.equal(await agent.locator('call-room').getAttribute('status'), 'connected');
});
