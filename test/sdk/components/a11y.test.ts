// axe-core (through @open-wc/testing's chai-a11y-axe) over the elements in the states people see:
// names, roles, ARIA, contrast, across the shadow roots.
import { assert, fixture, html } from '@open-wc/testing';
import '../../../sdk/define.js';
import { loadCallRoom } from '../../../sdk/load-call-room.js';
import type { CallButton } from '../../../sdk/components/call-button/call-button.js';
import type { CallRoom } from '../../../sdk/components/call-room/call-room.js';
import { waitFor } from '../helpers/wait.js';
import { scriptedRooms } from './scripted-room.js';

describe('accessibility (axe-core)', () => {
  const open = scriptedRooms();
  const part = (room: CallRoom, name: string) => room.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="${name}"]`)!;

  it('<call-button> enabled, and disabled with its reason', async () => {
    const enabled = await fixture<CallButton>(html`<call-button client-selected conversation-started agent-owns></call-button>`);
    await assert.isAccessible(enabled);
    const disabled = await fixture<CallButton>(html`<call-button></call-button>`);
    await assert.isAccessible(disabled);
  });

  it('<call-room role="agent"> written before `side` existed: read as the side, and no invalid ARIA role is left', async () => {
    await loadCallRoom();
    const room = await fixture<CallRoom>(html`<call-room role="agent"></call-room>`);
    assert.strictEqual(room.side, 'agent');
    assert.isFalse(room.hasAttribute('role'));
    assert.strictEqual(room.getAttribute('side'), 'agent');
    room.remove();
  });

  it('the agent room: ringing, then connected with videos, presenting and notices', async () => {
    const agent = await open({ role: 'agent' });
    await agent.hello(false);
    await assert.isAccessible(agent.room);
    await agent.presence(true);
    agent.media.addRemote('camera');
    agent.media.addRemote('screen');
    agent.socket().receive({ type: 'event', event: { type: 'call.media_blocked', by: 'client', at: '', data: { device: 'microphone', reason: 'permission_denied' } } });
    part(agent.room, 'screen').click();
    await waitFor(() => agent.room.shadowRoot!.querySelector('[part~="presenting"]') !== null, 3000, 'presenting');
    await assert.isAccessible(agent.room);
  });

  it('the agent room: docked with the devices panel open and Ask to share screen, then a missed call', async () => {
    const agent = await open({ role: 'agent' });
    await agent.hello(true);
    agent.media.addRemote('camera');
    await agent.status('connected');
    agent.room.docked = true;
    await agent.room.updateComplete;
    assert.isNotNull(agent.room.shadowRoot!.querySelector('[part~="ask-share"]'), 'Ask to share screen is offered');
    part(agent.room, 'devices-toggle').click();
    await waitFor(() => agent.room.shadowRoot!.querySelector('[part~="devices"]') !== null, 3000, 'the devices panel');
    await assert.isAccessible(agent.room);

    const missed = await open({ role: 'agent' });
    await missed.hello(false);
    missed.socket().receive({ type: 'call', call: { ...missed.room.call!, status: 'ended', endReason: 'no_answer', endedBy: 'system', endedAt: new Date().toISOString() } });
    await missed.status('ended');
    await assert.isAccessible(missed.room);
  });

  it('the client room: the consent card of Ask to share screen', async () => {
    const client = await open({ role: 'client' });
    client.confirmJoin();
    await client.hello(true);
    await client.status('connected');
    client.socket().receive({ type: 'share_request' });
    await waitFor(() => client.room.shadowRoot!.querySelector('[part~="share-request"]') !== null, 3000, 'the consent card');
    await assert.isAccessible(client.room);
  });

  it('the client room: connected without video, then failed with Rejoin', async () => {
    const client = await open({ role: 'client' });
    client.confirmJoin();
    await client.hello(true);
    await client.status('connected');
    await assert.isAccessible(client.room);
    client.media.lose();
    await client.status('failed');
    await assert.isAccessible(client.room);
  });
});
