/**
 * The client's call screen on a phone, for real: the hosted join page opened in a mobile
 * Chromium context (touch, meta viewport honoured) at 360×640, 390×844 and 844×390 (on its
 * side), in a connected direct-mode call with real video both ways. Every control is on screen
 * and at least 44 px, the status is not cut, and the other person's video carries their name.
 * (Every state of both sides is covered element by element in test/sdk/components/call-room-layout.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { RECORD_MEDIA } from '../support/browser.js';
import { agentStartsCall, pressJoin, twoParticipants } from '../support/call-flow.js';

const STEP_TIMEOUT_MS = 20_000;
const VIEWPORTS = [{ width: 360, height: 640 }, { width: 390, height: 844 }, { width: 844, height: 390 }];

/** What does not fit on this page's call screen, as sentences (empty: everything fits). */
async function misfits(page: Page): Promise<string[]> {
  // Plain data out of the page (a helper function inside evaluate would need tsx's __name there).
  const { width, height, boxes } = await page.evaluate(() => {
    const root = document.querySelector('call-room')!.shadowRoot!;
    const status = root.querySelector<HTMLElement>('[part~="status"]')!;
    const buttons = [...root.querySelectorAll('button')].filter((b) => b.checkVisibility());
    return {
      width: window.innerWidth,
      height: window.innerHeight,
      boxes: [
        ...buttons.map((b) => ({ name: `button "${b.textContent?.trim()}"`, rect: b.getBoundingClientRect().toJSON() as DOMRect, touch: true, cut: false })),
        { name: 'the status', rect: status.getBoundingClientRect().toJSON() as DOMRect, touch: false, cut: status.scrollWidth > status.clientWidth },
      ],
    };
  });
  const problems: string[] = [];
  for (const { name, rect: r, touch, cut } of boxes) {
    if (r.left < -0.5 || r.top < -0.5 || r.right > width + 0.5 || r.bottom > height + 0.5 || r.width === 0) problems.push(`${name} is outside the ${width}×${height} viewport`);
    if (touch && (r.width < 43.5 || r.height < 43.5)) problems.push(`${name} is ${r.width}×${r.height} px`);
    if (cut) problems.push(`${name} is cut`);
  }
  return problems;
}

test('the client on a phone: the join page fits 360 px, 390 px and landscape, controls are touch-sized', async (t) => {
  const { stack, agent, browser } = await twoParticipants(t, STEP_TIMEOUT_MS, 'direct');
  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  const phone = await browser.newContext({ ...VIEWPORTS[0], isMobile: true, hasTouch: true, permissions: ['camera', 'microphone'] });
  t.after(() => phone.close());
  await phone.addInitScript(RECORD_MEDIA);
  const client = await phone.newPage();
  client.setDefaultTimeout(STEP_TIMEOUT_MS);
  await client.goto(joinUrl);
  // The pre-join fits too: Join (and every other button) on screen and touch-sized in each viewport.
  await client.locator('call-room [part~="join"]:not([disabled])').waitFor();
  for (const viewport of VIEWPORTS) {
    await client.setViewportSize(viewport);
    await client.waitForTimeout(100);
    assert.deepEqual(await misfits(client), [], `pre-join at ${viewport.width}×${viewport.height}`);
  }
  await client.setViewportSize(VIEWPORTS[0]!);
  await pressJoin(client);
  await client.locator('call-room[status="connected"]').waitFor();
  await client.locator('call-room video[part~="main-video"][part~="remote-camera"]').waitFor();
  assert.equal(await client.locator('call-room [part~="main-tile"] [part~="video-label"]').textContent(), 'Alice Martin');

  for (const viewport of VIEWPORTS) {
    await client.setViewportSize(viewport);
    await client.waitForTimeout(100);
    assert.deepEqual(await misfits(client), [], `at ${viewport.width}×${viewport.height}`);
    const leave = client.locator('call-room').getByRole('button', { name: 'LEAVE' });
    assert.ok(await leave.isVisible(), `LEAVE is shown at ${viewport.width}×${viewport.height}`);
  }

  await client.locator('call-room').getByRole('button', { name: 'LEAVE' }).tap();
  await client.locator('call-room[status="ended"]').waitFor();
  await agent.locator('call-room[status="client-left"]').waitFor();
});
