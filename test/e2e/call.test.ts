/**
 * The whole story in real Chromium, in each media mode (peer-to-peer, and through a real LiveKit
 * server): an agent on the demo helpdesk calls a client, the invite arrives in the conversation
 * through the signed webhook, the client joins from the link in another browser context, audio
 * and video flow both ways, a mute is seen on the other side, END CALL stops everything (in
 * LiveKit mode it also deletes the room), and the client's old credentials cannot rejoin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { expectMediaFlowing, trackStates } from '../support/browser.js';
import { callIdOf, clientOpensLinkAndJoins, nextJoinCredentials, twoParticipants, type JoinCredentials } from '../support/call-flow.js';
import { forEachMode, openRooms } from '../support/modes.js';
import { connectLivekitRoom, liveSocketOutcome } from '../support/old-credentials.js';

const STEP_TIMEOUT_MS = 20_000;

/** Inbound audio level (0..1) of the page's live connections; 0 when silent. */
function inboundAudioLevel(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let level = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: { type: string; kind?: string; audioLevel?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') level = Math.max(level, s.audioLevel ?? 0);
      });
    }
    return level;
  });
}

/** Polls until `check` holds or the step timeout passes; resolves with its last value. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    value = await read();
  }
  return value;
}

forEachMode((mode) => {
  test(`an agent calls a client from the demo helpdesk and both are in a real call until END CALL [${mode}]`, async (t) => {
    const { stack, livekit, rooms, agent, client, clientContext, joinPageAllowsMedia } = await twoParticipants(t, STEP_TIMEOUT_MS, mode);

    if (livekit) {
      await t.test('the hosted join page lets its browser reach the LiveKit server (CSP connect-src)', () => {
        assert.ok(joinPageAllowsMedia, `connect-src of /join/ allows ${livekit.url} and ${livekit.httpUrl}`);
      });
    }

    await agent.goto(stack.demoUrl);
    const callButton = agent.locator('call-button');
    const phone = callButton.getByRole('button');

    await t.test('the phone button is disabled and says why until the agent may call', async () => {
      await callButton.getByText('Select a client to start a call').waitFor();
      assert.equal(await phone.isDisabled(), true);
      await agent.getByRole('button', { name: /Bob Lambert/ }).click();
      await callButton.getByText('Start the conversation to call this client').waitFor();
      assert.equal(await phone.isDisabled(), true);
      await agent.getByRole('button', { name: 'Start conversation' }).click();
      await agent.waitForFunction(() => !document.querySelector('call-button')?.shadowRoot?.querySelector('button')?.disabled);
    });

    let joinUrl = '';
    await t.test('a click opens the call screen, which rings, and the invite appears in the conversation', async () => {
      await phone.click();
      await agent.locator('call-room[status="waiting"][ringing]').waitFor();
      const link = agent.locator('#messages a.join-link').last();
      await link.waitFor();
      joinUrl = (await link.getAttribute('href')) ?? '';
      assert.match(joinUrl, /^http:\/\/127\.0\.0\.1:\d+\/join\/[\w-]+#[\w-]{43,}$/);
      if (rooms) assert.ok((await openRooms(rooms)).includes(callIdOf(joinUrl)), 'the call has its LiveKit room');
    });

    let credentials: JoinCredentials | undefined;
    await t.test('the client joins from the link; the ringtone stops and both see the other connected', async () => {
      const joined = nextJoinCredentials(client);
      await clientOpensLinkAndJoins(client, joinUrl);
      credentials = await joined;
      assert.equal(credentials.media.mode, mode, 'the service hands out this mode');
      await client.locator('call-room[status="connected"]').waitFor();
      await agent.locator('call-room[status="connected"]').waitFor();
      assert.equal(await agent.locator('call-room').getAttribute('ringing'), null);
      await agent.locator('call-room [part="status"]').filter({ hasText: /client connected/i }).waitFor();
    });

    await t.test('audio and video flow both ways', async () => {
      await expectMediaFlowing(client, 'client', STEP_TIMEOUT_MS);
      await expectMediaFlowing(agent, 'agent', STEP_TIMEOUT_MS);
    });

    await t.test('muting the agent microphone is seen on the client side', async () => {
      await agent.locator('call-room').getByRole('button', { name: /microphone/i }).click();
      await client.locator('call-room[remote-mic-muted]').waitFor();
      const level = await eventually(() => inboundAudioLevel(client), (l) => l <= 0.001);
      assert.ok(level <= 0.001, `client hears silence after the agent mutes (level ${level})`);
    });

    await t.test('END CALL closes the call screen and stops every track on both sides', async () => {
      await agent.locator('call-room').getByRole('button', { name: /end call/i }).click();
      await agent.locator('call-room').waitFor({ state: 'detached' });
      await client.locator('call-room[status="ended"]').waitFor();
      await agent.waitForFunction(() => (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks.every((t) => t.readyState === 'ended'));
      await client.waitForFunction(() => (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks.every((t) => t.readyState === 'ended'));
      const [agentTracks, clientTracks] = [await trackStates(agent), await trackStates(client)];
      assert.ok(agentTracks.length >= 2 && clientTracks.length >= 2, `tracks were captured (${agentTracks.join()} / ${clientTracks.join()})`);
      assert.ok([...agentTracks, ...clientTracks].every((s) => s.endsWith(':ended')));
    });

    if (rooms) {
      await t.test('END CALL deletes the LiveKit room', async () => {
        const open = await eventually(() => openRooms(rooms), (names) => !names.includes(callIdOf(joinUrl)));
        assert.ok(!open.includes(callIdOf(joinUrl)), `the room is gone (open rooms: ${open.join(', ') || 'none'})`);
      });
    }

    await t.test('the link now shows that the call has ended', async () => {
      const again = await clientContext.newPage();
      const response = await again.goto(joinUrl);
      assert.equal(response?.status(), 410);
      await again.getByText(/this call has ended/i).first().waitFor();
    });

    await t.test("the client's old credentials cannot rejoin", async () => {
      assert.ok(credentials, 'the join credentials were captured');
      const page = await clientContext.newPage();
      await page.goto(`${stack.serviceUrl}/healthz`);
      const live = await liveSocketOutcome(page, credentials.liveUrl, credentials.token);
      assert.deepEqual(live, { opened: true, messages: 0, code: 4000 }, 'the live socket is closed at once as "call ended"');
      if (credentials.media.mode === 'livekit' && livekit && rooms) {
        const outcome = await connectLivekitRoom(page, credentials.media.url, credentials.media.token);
        assert.equal(outcome.connected, false, 'connecting with the old LiveKit token fails');
        assert.match(outcome.error ?? '', /room does not exist/, 'LiveKit refuses because the room is gone (the token cannot create it)');
        assert.ok(!(await openRooms(rooms)).includes(callIdOf(joinUrl)), 'the room did not come back');
      }
    });
  });
});
