/**
 * "Ask to share screen" for real, two browsers: the agent asks, the client sees the consent card
 * and either shares (the agent sees the client's screen and "… is presenting") or declines (the
 * agent sees "… declined"). The screen is Chromium's fake capture (fake UI picks it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentStartsCall, clientJoins, twoParticipants } from '../support/call-flow.js';

const STEP_TIMEOUT_MS = 20_000;

test('the agent asks to share; the client accepts and the agent sees their screen, then asks again after they stop', async (t) => {
  const { stack, agent, client } = await twoParticipants(t, STEP_TIMEOUT_MS, 'direct');
  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  await clientJoins(client, agent, joinUrl);

  await agent.locator('call-room').getByRole('button', { name: 'Ask to share screen' }).click();
  await agent.locator('call-room [part~="share-status"]').getByText('Asked Bob Lambert to share their screen…').waitFor();
  const card = client.locator('call-room').getByRole('alertdialog', { name: 'Share your screen?' });
  await card.getByText('Alice Martin asks you to share your screen. Share one tab or window rather than your whole screen.').waitFor();
  await card.getByRole('button', { name: 'Share' }).click();

  await agent.locator('call-room video[part~="main-video"][part~="remote-screen"]').waitFor();
  await agent.locator('call-room [part~="share-status"]').getByText('Bob Lambert is presenting').waitFor();
  assert.equal(await card.count(), 0, 'the card is gone once answered');
  assert.equal(await agent.locator('call-room').getByRole('button', { name: 'Ask to share screen' }).count(), 0, 'no asking while the client shares');

  await client.locator('call-room').getByRole('button', { name: 'Stop', exact: true }).click();
  await agent.locator('call-room [part~="share-status"]').getByText('Bob Lambert stopped sharing').waitFor();
  await agent.locator('call-room video[part~="remote-screen"]').waitFor({ state: 'detached' });
  await agent.locator('call-room').getByRole('button', { name: 'Ask to share screen' }).waitFor();
});

test('the agent asks to share; the client says Not now and the agent sees that they declined', async (t) => {
  const { stack, agent, client } = await twoParticipants(t, STEP_TIMEOUT_MS, 'direct');
  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  await clientJoins(client, agent, joinUrl);

  await agent.locator('call-room').getByRole('button', { name: 'Ask to share screen' }).click();
  const card = client.locator('call-room').getByRole('alertdialog', { name: 'Share your screen?' });
  await card.getByRole('button', { name: 'Not now' }).click();
  await agent.locator('call-room [part~="share-status"]').getByText('Bob Lambert declined to share their screen').waitFor();
  assert.equal(await client.locator('call-room [part~="screen"]').getAttribute('aria-pressed'), 'false', 'nothing was shared');
  assert.equal(await agent.locator('call-room video[part~="remote-screen"]').count(), 0);
  await agent.locator('call-room').getByRole('button', { name: 'Ask to share screen' }).waitFor();
});
