/**
 * Blocked devices do not stop the call, in each media mode: a client whose camera is denied
 * goes on with audio only (the agent hears them) and is shown the steps for Chrome; a refused
 * screen share leaves the call running with its media.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { inboundBytes } from '../support/browser.js';
import { agentStartsCall, clientOpensLinkAndJoins, twoParticipants } from '../support/call-flow.js';
import { forEachMode } from '../support/modes.js';

const STEP_TIMEOUT_MS = 20_000;

/** Waits until inbound audio bytes on the page grow. */
async function expectAudioGrowing(page: Page, who: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let first = (await inboundBytes(page)).audio;
  let now = first;
  while ((first === 0 || now <= first) && Date.now() < deadline) {
    await page.waitForTimeout(300);
    if (first === 0) first = (await inboundBytes(page)).audio;
    now = (await inboundBytes(page)).audio;
  }
  assert.ok(first > 0 && now > first, `${who} receives audio (${first} → ${now})`);
}

forEachMode((mode) => {
  test(`a denied camera falls back to audio only and a refused screen share leaves the call running [${mode}]`, async (t) => {
    // No fake UI: only what a context was granted works; the client may use its microphone only.
    const { stack, agent, client, clientContext } = await twoParticipants(t, STEP_TIMEOUT_MS, mode, { browser: { fakeUi: false }, clientPermissions: ['microphone'] });
    // Pressing Cancel in the screen picker rejects getDisplayMedia with NotAllowedError (the picker cannot be driven headless).
    await clientContext.addInitScript(() => {
      // On the instance: the media recorder installed before this wraps the instance's method.
      navigator.mediaDevices.getDisplayMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    const joinUrl = await agentStartsCall(agent, stack.demoUrl);
    await clientOpensLinkAndJoins(client, joinUrl);
    const room = client.locator('call-room');

    await t.test('the client is told the camera is blocked, with the steps for Chrome, and the call connects', async () => {
      await room.locator('[part~="error"]').filter({ hasText: 'Camera access is blocked' }).waitFor();
      await room.locator('[part~="fix"]').filter({ hasText: /^In Chrome: .*allow the camera/ }).waitFor();
      await client.locator('call-room[status="connected"]').waitFor();
      await agent.locator('call-room[status="connected"]').waitFor();
      assert.equal(await room.getByRole('button', { name: 'Microphone' }).getAttribute('aria-pressed'), 'true', 'the microphone is on');
    });

    await t.test('the agent hears the client (audio only)', async () => {
      await expectAudioGrowing(agent, 'the agent');
      await agent.locator('call-room [part~="remote-blocked"]').filter({ hasText: /Bob Lambert has blocked camera access/ }).waitFor();
    });

    await t.test('a refused screen share says so and the call goes on with its media', async () => {
      await room.getByRole('button', { name: 'Share screen' }).click();
      await room.locator('[part~="error"]').filter({ hasText: 'Screen sharing was cancelled or blocked' }).waitFor();
      assert.equal(await room.getAttribute('status'), 'connected');
      await expectAudioGrowing(agent, 'the agent, after the refusal');
      await expectAudioGrowing(client, 'the client, after the refusal');
    });
  });
});
