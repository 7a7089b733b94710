// <call-room> when a call ends by itself or the client is slow to join (room-status.ts, room-resend.ts): the agent's
// screen stays on a missed call until Close, the client is told the agent lost connection and then left, and the
// agent is offered "Send the link again", which posts to /v1/calls/:id/invite and says so.
import { assert } from '@open-wc/testing';
import { callView, openScriptedRoom } from './scripted-room.js';
import { waitFor } from '../helpers/wait.js';

afterEach(() => {
  for (const room of document.body.querySelectorAll('call-room')) room.remove();
});

const statusOf = (room: HTMLElement) => room.shadowRoot!.querySelector('[part="status"]')!.textContent ?? '';

describe('<call-room> calls that end by themselves', () => {
  it('agent: a missed call stays on screen, says so, and closes (call-ended) only on Close', async () => {
    const r = await openScriptedRoom({ role: 'agent' });
    await r.hello(false);
    let ended = 0;
    r.room.addEventListener('call-ended', () => (ended += 1));
    r.socket().receive({ type: 'call', call: { ...callView({ role: 'agent' }, 'ended'), endReason: 'no_answer', endedBy: 'system' } });
    await r.status('ended');
    assert.equal(statusOf(r.room), 'Missed call — Bob Lambert did not join');
    assert.equal(ended, 0, 'the room is not closed behind the agent\'s back');
    const close = r.room.shadowRoot!.querySelector<HTMLButtonElement>('[part="end"]')!;
    assert.equal(close.textContent?.trim(), 'Close');
    close.click();
    assert.equal(ended, 1);
  });

  it('agent: an ordinary remote end still closes the room at once', async () => {
    const r = await openScriptedRoom({ role: 'agent' });
    await r.hello(true);
    let ended = 0;
    r.room.addEventListener('call-ended', () => (ended += 1));
    await r.endedRemotely();
    await waitFor(() => ended === 1, 3000, 'call-ended');
  });

  it('client: the agent lost connection, then left — both said in words', async () => {
    const r = await openScriptedRoom({ role: 'client' });
    r.confirmJoin();
    await r.hello(true);
    r.socket().receive({ type: 'presence', role: 'agent', present: false });
    r.socket().receive({ type: 'call', call: { ...callView({ role: 'client' }, 'active'), agentAwaySince: new Date().toISOString() } });
    await waitFor(() => statusOf(r.room).includes('lost connection'), 3000, 'the away words');
    assert.equal(statusOf(r.room), 'Alice Martin lost connection, waiting for them to come back…');
    r.socket().receive({ type: 'call', call: { ...callView({ role: 'client' }, 'ended'), endReason: 'agent_left', endedBy: 'system' } });
    await r.status('ended');
    assert.equal(statusOf(r.room), 'Alice Martin left the call. The conversation continues in the chat.');
  });

  it('agent: "Send the link again" appears after resend-after, posts the invite, then says the link was sent', async () => {
    const r = await openScriptedRoom({ role: 'agent' });
    const posted: string[] = [];
    const base = r.room.sessionOptions.fetch!;
    r.room.sessionOptions = {
      ...r.room.sessionOptions,
      fetch: (input, init) => {
        posted.push(`${init?.method ?? 'GET'} ${input instanceof Request ? input.url : input.toString()}`);
        return base(input, init);
      },
    };
    r.room.resendAfter = 0;
    await r.hello(false);
    const find = (part: string) => r.room.shadowRoot!.querySelector<HTMLElement>(`[part~="${part}"]`);
    await waitFor(() => !!find('resend-link'), 3000, 'the offer');
    assert.equal(find('resend-link')!.textContent?.trim(), 'Send the link again');
    find('resend-link')!.click();
    await waitFor(() => !!find('resend-sent'), 3000, 'the feedback');
    assert.equal(find('resend-sent')!.textContent, 'Link sent again to the conversation');
    assert.deepEqual(posted.filter((p) => p.includes('/invite')), ['POST http://svc.test/v1/calls/c1/invite']);
  });

  it('agent: no offer once the client is in the call', async () => {
    const r = await openScriptedRoom({ role: 'agent' });
    r.room.resendAfter = 0;
    await r.hello(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await r.room.updateComplete;
    assert.isNull(r.room.shadowRoot!.querySelector('[part~="resend-link"]'));
  });
});
