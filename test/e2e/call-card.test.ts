/**
 * The call as a live card in the demo conversation, through a real call and the real webhooks:
 * the invite says "Call invite sent", then "Client opened the link", "In call", and "Ended (mm:ss)"
 * once the agent ends it; the join link looks dead and a summary is posted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentStartsCall, clientJoins, twoParticipants } from '../support/call-flow.js';

const STEP_TIMEOUT_MS = 20_000;

test('the invite card follows the call: sent → opened → in call → ended, then a summary', async (t) => {
  const { stack, agent, client } = await twoParticipants(t, STEP_TIMEOUT_MS, 'direct');
  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  const card = agent.locator('#messages .call-card').last();
  await card.getByText('Call invite sent').waitFor();
  await clientJoins(client, agent, joinUrl);
  // Opened, then in the call: the webhooks may arrive together, the card only moves forward.
  await agent.waitForFunction(() => [...document.querySelectorAll('#messages .call-card')].at(-1)?.getAttribute('data-call-status') === 'in_call');
  assert.equal(await card.getByRole('status').textContent(), 'In call');

  await agent.locator('call-room').getByRole('button', { name: 'END CALL' }).click();
  await card.getByText(/^Ended \(\d\d:\d\d\)$/).waitFor();
  assert.equal(await card.locator('a.join-link').count(), 0, 'no way into the ended call is left');
  assert.equal(await card.getByRole('button', { name: 'Call ended' }).isDisabled(), true);
  await agent.locator('#messages').getByText(/^Call summary · in the call: Alice Martin and Bob Lambert · duration \d\d:\d\d · screen shared: no · end: ended by the agent\.$/).waitFor();
});
