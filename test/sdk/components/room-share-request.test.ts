// "Ask to share screen" in <call-room>: the agent's control (only where it makes sense) and the
// status line that follows the answer and the client's share; the client's consent card, whose
// Share starts the screen share and whose answers go back over the live socket.
import { assert } from '@open-wc/testing';
import type { CallRoom } from '../../../sdk/components/call-room/call-room.js';
import { waitFor } from '../helpers/wait.js';
import { openScriptedRoom, type ScriptedRoom } from './scripted-room.js';

const part = <T extends HTMLElement = HTMLElement>(room: CallRoom, name: string): T | null => room.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
const sent = (opened: ScriptedRoom) => opened.socket().sent.map((raw) => JSON.parse(raw) as { type: string; answer?: string }).filter((m) => m.type.startsWith('share_'));
const shareStatus = (room: CallRoom) => part(room, 'share-status')?.innerText.trim() ?? null;
const settle = async (room: CallRoom) => {
  await room.updateComplete;
  await new Promise((resolve) => requestAnimationFrame(resolve));
};
const event = (type: string) => ({ type: 'event', event: { id: 1, callId: 'c1', type, by: 'client', at: '', data: {} } });

describe('<call-room> Ask to share screen', () => {
  let opened: ScriptedRoom | null = null;
  afterEach(() => {
    opened?.room.remove();
    opened = null;
  });

  it('agent: the control shows only while the client is in the call and not sharing; the answer and the share are said', async () => {
    const agent = (opened = await openScriptedRoom({ role: 'agent' }));
    const { room } = agent;
    await agent.hello(false);
    await agent.status('waiting');
    assert.isNull(part(room, 'ask-share'), 'nobody to ask yet');
    await agent.presence(true);
    await agent.status('connected');
    const ask = part<HTMLButtonElement>(room, 'ask-share')!;
    assert.strictEqual(ask.innerText.trim(), 'Ask to share screen');
    ask.click();
    await settle(room);
    assert.deepEqual(sent(agent), [{ type: 'share_request' }]);
    assert.isNull(part(room, 'ask-share'), 'one request at a time');
    assert.strictEqual(shareStatus(room), 'Asked Bob Lambert to share their screen…');
    assert.strictEqual(part(room, 'share-status')!.getAttribute('role'), 'status');

    agent.socket().receive({ type: 'share_answer', answer: 'declined' });
    await settle(room);
    assert.strictEqual(shareStatus(room), 'Bob Lambert declined to share their screen');
    assert.isNotNull(part(room, 'ask-share'), 'declined: the agent may ask again');

    part<HTMLButtonElement>(room, 'ask-share')!.click();
    await settle(room);
    agent.socket().receive({ type: 'share_answer', answer: 'accepted' });
    agent.socket().receive(event('call.screen_share_started'));
    agent.media.addRemote('screen');
    await settle(room);
    assert.strictEqual(shareStatus(room), 'Bob Lambert is presenting');
    assert.isNull(part(room, 'ask-share'), 'no asking while the client shares');

    // The client's browser bar stopped it.
    agent.socket().receive(event('call.screen_share_stopped'));
    agent.media.removeRemote('screen');
    await settle(room);
    assert.strictEqual(shareStatus(room), 'Bob Lambert stopped sharing');
    assert.isNotNull(part(room, 'ask-share'));
  });

  it('client: the consent card advises one tab or window; Share starts sharing and answers accepted', async () => {
    const client = (opened = await openScriptedRoom({ role: 'client' }));
    const { room } = client;
    client.confirmJoin();
    await client.hello(true);
    await client.status('connected');
    assert.isNull(part(room, 'share-request'));
    client.socket().receive({ type: 'share_request' });
    await settle(room);
    const card = part(room, 'share-request')!;
    assert.strictEqual(card.getAttribute('role'), 'alertdialog');
    assert.strictEqual(part(room, 'share-request-text')!.innerText, 'Alice Martin asks you to share your screen. Share one tab or window rather than your whole screen.');
    assert.isAbove(card.getBoundingClientRect().height, 0, 'the card is visible');
    part<HTMLButtonElement>(room, 'share-accept')!.click();
    await waitFor(() => sent(client).length === 1, 3000, 'the answer');
    await settle(room);
    assert.deepEqual(sent(client), [{ type: 'share_answer', answer: 'accepted' }]);
    assert.isTrue(client.media.isEnabled('screen'), 'Share started the screen share');
    assert.isNull(part(room, 'share-request'), 'answered: the card is gone');
  });

  it('client: Not now answers declined; a browser refusal answers failed', async () => {
    const client = (opened = await openScriptedRoom({ role: 'client' }));
    const { room } = client;
    client.confirmJoin();
    await client.hello(true);
    await client.status('connected');
    client.socket().receive({ type: 'share_request' });
    await settle(room);
    part<HTMLButtonElement>(room, 'share-decline')!.click();
    await settle(room);
    assert.isNull(part(room, 'share-request'));
    assert.isFalse(client.media.isEnabled('screen'));

    client.media.refuse.add('screen');
    client.socket().receive({ type: 'share_request' });
    await settle(room);
    part<HTMLButtonElement>(room, 'share-accept')!.click();
    await waitFor(() => sent(client).length === 2, 3000, 'the second answer');
    assert.deepEqual(sent(client), [{ type: 'share_answer', answer: 'declined' }, { type: 'share_answer', answer: 'failed' }]);
  });
});
