/**
 * The whole story in real Chromium: an agent on the demo helpdesk calls a client, the
 * invite arrives in the conversation through the signed webhook, the client joins from
 * the link in another browser context, audio and video flow both ways over a real
 * RTCPeerConnection, and END CALL stops everything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { describeConnections, inboundBytes } from '../support/browser.js';
import { twoParticipants } from '../support/call-flow.js';

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

async function expectMediaFlowing(page: Page, who: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let first = await inboundBytes(page);
  while ((first.audio === 0 || first.video === 0) && Date.now() < deadline) {
    await page.waitForTimeout(250);
    first = await inboundBytes(page);
  }
  await page.waitForTimeout(1_500);
  const second = await inboundBytes(page);
  if (second.audio > first.audio && second.video > first.video) return;
  assert.fail(`${who}: inbound bytes grow (audio ${first.audio} → ${second.audio}, video ${first.video} → ${second.video})\n${await describeConnections(page)}`);
}

function trackStates(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks.map((t) => `${t.kind}:${t.readyState}`));
}

test('an agent calls a client from the demo helpdesk and both are in a real call until END CALL', async (t) => {
  const { stack, agent, client, clientContext } = await twoParticipants(t, STEP_TIMEOUT_MS);

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
  });

  await t.test('the client joins from the link; the ringtone stops and both see the other connected', async () => {
    await client.goto(joinUrl);
    await client.locator('call-room[status="connected"]').waitFor();
    await agent.locator('call-room[status="connected"]').waitFor();
    assert.equal(await agent.locator('call-room').getAttribute('ringing'), null);
    await agent.locator('call-room [part="status"]').filter({ hasText: /client connected/i }).waitFor();
  });

  await t.test('audio and video flow both ways', async () => {
    await expectMediaFlowing(client, 'client');
    await expectMediaFlowing(agent, 'agent');
  });

  await t.test('muting the agent microphone is seen on the client side', async () => {
    await agent.locator('call-room').getByRole('button', { name: /microphone/i }).click();
    await client.locator('call-room[remote-mic-muted]').waitFor();
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    let level = await inboundAudioLevel(client);
    while (level > 0.001 && Date.now() < deadline) {
      await client.waitForTimeout(250);
      level = await inboundAudioLevel(client);
    }
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

  await t.test('the link now shows that the call has ended', async () => {
    const again = await clientContext.newPage();
    const response = await again.goto(joinUrl);
    assert.equal(response?.status(), 410);
    await again.getByText(/this call has ended/i).first().waitFor();
  });
});
