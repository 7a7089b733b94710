/**
 * The demo helpdesk page in real Chromium on a 360 px phone (the demo alone, no service: the
 * page's own behaviour): the message box only where the agent may write, and an invite whose call ended
 * turned into a disabled "Call ended" as soon as the call.ended webhook arrives (over SSE), and
 * a page left open does not keep the demo from closing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { buildDemo } from '../../demo/app.js';
import { launchChromium } from '../support/browser.js';

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: over ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
const STEP_TIMEOUT_MS = 10_000;

async function sendWebhook(demoUrl: string, id: string, payload: unknown): Promise<void> {
  const body = JSON.stringify(payload);
  const timestamp = new Date();
  const response = await fetch(`${demoUrl}/switchboard/webhook`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(webhookSecret).sign(id, timestamp, body),
    },
  });
  assert.equal(response.status, 204);
}

test('the demo page: the message box only where the agent may write; an ended call\'s invite looks ended', async (t) => {
  // The SDK's URL answers nothing: this test is about the page around <call-button>.
  const app = await buildDemo({ serviceUrl: 'http://127.0.0.1:9', orgId: 'demo', signingSecret: 'x'.repeat(32), webhookSecret, logLevel: 'silent' });
  const demoUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  // The demo first, with the page still open: its event stream must not keep close() waiting (Ctrl+C).
  t.after(async () => {
    try {
      await withTimeout(app.close(), 5_000, 'the demo closing while a page holds its event stream');
    } finally {
      await browser.close();
    }
  });
  // A phone: the other browser tests use the desktop layout; clicks below fail if anything covers what they click.
  const page = await browser.newPage({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  await page.goto(demoUrl);
  const composer = page.locator('#composer');
  await page.getByRole('button', { name: /Bob Lambert/ }).waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'the page fits a 360 px phone');

  await t.test('no message box without a selected client, in a conversation not started, or in another agent\'s', async () => {
    assert.equal(await composer.isVisible(), false, 'no client selected');
    await page.getByRole('button', { name: /Sofia Rossi/ }).click();
    await page.getByText('owned by Dan Okafor').waitFor();
    assert.equal(await composer.isVisible(), false, "another agent's conversation");
    await page.getByRole('button', { name: /Bob Lambert/ }).click();
    await page.getByText('Conversation not started.').waitFor();
    assert.equal(await composer.isVisible(), false, 'not started');
    await page.getByRole('button', { name: 'Start conversation' }).click();
    await composer.waitFor({ state: 'visible' });
    await page.getByRole('button', { name: /Sofia Rossi/ }).click();
    await composer.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: /Bob Lambert/ }).click();
  });

  await t.test('an invite is a "Join the call" link until its call ends, then a disabled "Call ended"', async () => {
    const callId = 'call-1';
    const joinUrl = `http://127.0.0.1:3000/join/${callId}#secret`;
    await sendWebhook(demoUrl, 'msg_invite', { type: 'call.invite', timestamp: new Date().toISOString(), data: { callId, conversationId: 'conv-bob', clientId: 'client-bob', agentId: 'agent-alice', text: `Join: ${joinUrl}`, joinUrl } });
    const link = page.locator('#messages a.join-link');
    await link.waitFor();
    assert.equal(await link.textContent(), 'Join the call');
    const card = page.locator('#messages .call-card');
    const cardStatus = card.getByRole('status');
    assert.equal(await cardStatus.textContent(), 'Call invite sent');
    const facts = { callId, conversationId: 'conv-bob', clientId: 'client-bob', agentId: 'agent-alice' };
    await sendWebhook(demoUrl, 'msg_opened', { type: 'call.link_opened', timestamp: new Date().toISOString(), data: facts });
    await card.getByText('Client opened the link').waitFor();
    await sendWebhook(demoUrl, 'msg_joined', { type: 'call.client_joined', timestamp: new Date().toISOString(), data: facts });
    await card.getByText('In call').waitFor();
    assert.equal(await card.getAttribute('data-call-status'), 'in_call');
    await sendWebhook(demoUrl, 'msg_ended', { type: 'call.ended', timestamp: new Date().toISOString(), data: { callId, conversationId: 'conv-bob', clientId: 'client-bob', agentId: 'agent-alice', by: 'agent', reason: 'ended_by_agent', durationSeconds: 42 } });
    const ended = page.locator('#messages').getByRole('button', { name: 'Call ended' });
    await ended.waitFor();
    assert.equal(await ended.isDisabled(), true);
    assert.equal(await link.count(), 0, 'no way into the ended call is left');
    assert.match((await cardStatus.textContent()) ?? '', /^Ended \(\d\d:\d\d\)$/);
    await page.locator('#messages').getByText(/^Call summary · in the call: Alice Martin and Bob Lambert · duration \d\d:\d\d · screen shared: no · end: ended by the agent\.$/).waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'the card and the summary fit a 360 px phone');
  });
});
