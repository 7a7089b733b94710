/**
 * Screen sharing for real, in each media mode: the client shares a browser tab (real tab
 * capture, picked by title), the agent sees it in the main place with the camera as a
 * thumbnail, and closing the shared tab — what the browser's own "Stop sharing" does to the
 * track — stops sharing in the app, on the agent's screen and in the host app (webhook).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeConnections } from '../support/browser.js';
import { agentStartsCall, clientJoins, twoParticipants } from '../support/call-flow.js';
import { forEachMode } from '../support/modes.js';

const SHARED_TAB_TITLE = 'Switchboard shared tab';
const STEP_TIMEOUT_MS = 20_000;

forEachMode((mode) => {
  test(`a screen shared by the client takes the main place, and the browser stopping it stops it everywhere [${mode}]`, async (t) => {
    const { stack, agent, client, clientContext } = await twoParticipants(t, STEP_TIMEOUT_MS, mode, {
      // No fake UI here: getDisplayMedia picks the real tab whose title matches.
      browser: { fakeUi: false, args: [`--auto-select-tab-capture-source-by-title=${SHARED_TAB_TITLE}`] },
    });

    const joinUrl = await agentStartsCall(agent, stack.demoUrl);
    await clientJoins(client, agent, joinUrl);

    const sharedTab = await clientContext.newPage();
    await sharedTab.setContent(`<title>${SHARED_TAB_TITLE}</title><h1 style="font-size:80px">Invoice #4711</h1>`);
    await client.bringToFront();

    await client.locator('call-room').getByRole('button', { name: /share screen/i }).click();
    await client.waitForFunction(() => document.querySelector('call-room')?.shadowRoot?.querySelector('[part~="screen"]')?.getAttribute('aria-pressed') === 'true');
    await agent.locator('call-room video[part~="main-video"][part~="remote-screen"]').waitFor().catch(async (err: unknown) => {
      throw new Error(`the agent never showed the screen: ${String(err)}\nagent: ${await describeConnections(agent)}\nclient: ${await describeConnections(client)}`);
    });
    await agent.locator('call-room video[part~="remote-camera"][part~="thumbnail"]').waitFor();
    await agent.locator('#messages').getByText('The client started sharing their screen.').waitFor();

    const screenTrackState = () => client.evaluate(() =>
      (window as unknown as { __screenTracks: MediaStreamTrack[] }).__screenTracks.map((tr) => `${tr.kind}:${tr.readyState}`));
    assert.deepEqual(await screenTrackState(), ['video:live']);

    // The browser ends the capture (as its "Stop sharing" bar does) when the shared tab goes away.
    await sharedTab.close();

    await client.waitForFunction(() => document.querySelector('call-room')?.shadowRoot?.querySelector('[part~="screen"]')?.getAttribute('aria-pressed') === 'false');
    assert.deepEqual(await screenTrackState(), ['video:ended']);
    await agent.locator('call-room video[part~="remote-screen"]').waitFor({ state: 'detached' });
    await agent.locator('call-room video[part~="main-video"][part~="remote-camera"]').waitFor();
    await agent.locator('#messages').getByText('The client stopped sharing their screen.').waitFor();
    assert.equal(await client.locator('call-room').getAttribute('status'), 'connected');
    assert.equal(await agent.locator('call-room').getAttribute('status'), 'connected');
  });
});
