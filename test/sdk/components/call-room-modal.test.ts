// <call-room> is a modal dialog, driven with real key presses (web-test-runner's sendKeys) against
// the real service: focus moves in when <call-button> opens it, Tab and Shift+Tab cycle inside,
// Escape ends nothing, and focus is back on the phone button when the room closes.
import { assert, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../sdk/define.js';
import type { CallButton } from '../../../sdk/components/call-button/call-button.js';
import type { CallRoom } from '../../../sdk/components/call-room/call-room.js';
import { deepActiveElement, tabbableElements } from '../../../sdk/components/internal/modal.js';
import { agentToken, serviceUrl } from '../helpers/service.js';
import { waitFor } from '../helpers/wait.js';
import { openScriptedRoom } from './scripted-room.js';

/** Shift+Tab as real key events (the Chrome launcher's sendKeys knows no chords). */
async function shiftTab(): Promise<void> {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ up: 'Shift' });
}

const isInside = (room: CallRoom, el: Element | null) => el !== null && room.shadowRoot!.contains(el);

afterEach(() => {
  for (const room of document.body.querySelectorAll('call-room')) room.remove();
});

describe('<call-room> keeps keyboard focus while open', () => {
  it('focus moves in, Tab and Shift+Tab stay inside, Escape does nothing, focus returns to the phone button', async () => {
    const page = await fixture<HTMLDivElement>(html`<div>
      <button id="before">Before</button>
      <call-button service-url=${await serviceUrl()} token=${await agentToken()} client-selected conversation-started agent-owns media="video"></call-button>
      <button id="after">After</button>
    </div>`);
    const callButton = page.querySelector<CallButton>('call-button')!;
    const phone = callButton.shadowRoot!.querySelector<HTMLButtonElement>('[part~="button"]')!;
    phone.focus();
    assert.strictEqual(deepActiveElement(), phone);

    const created = oneEvent(callButton, 'call-created');
    await sendKeys({ press: 'Enter' });
    await created;
    const room = document.body.querySelector('call-room')!;
    await room.updateComplete;
    assert.strictEqual(deepActiveElement(), room.shadowRoot!.querySelector('[part~="overlay"]'), 'the dialog itself has focus');

    // Once the devices are on, every control is enabled.
    await waitFor(() => room.getAttribute('status') === 'waiting' && room.session!.snapshot.pending.size === 0, 8000, 'waiting, devices started');
    await room.updateComplete;
    const controls = tabbableElements(room.shadowRoot!);
    assert.deepEqual(controls.map((c) => c.getAttribute('part')), ['copy-diagnostics', 'dock', 'control microphone', 'control camera', 'control screen', 'control devices-toggle', 'end']);

    const forward: (Element | null)[] = [];
    for (let i = 0; i < controls.length + 1; i++) {
      await sendKeys({ press: 'Tab' });
      forward.push(deepActiveElement());
    }
    assert.deepEqual(forward, [...controls, controls[0]!], 'Tab goes through the controls and wraps from the last to the first');

    const backward: (Element | null)[] = [];
    for (let i = 0; i < controls.length + 1; i++) {
      await shiftTab();
      backward.push(deepActiveElement());
    }
    // From the first control (where Tab wrapped to) back to the last, then back through them all.
    assert.deepEqual(backward, [...[...controls].reverse(), controls.at(-1)!], 'Shift+Tab wraps from the first to the last');

    page.querySelector<HTMLButtonElement>('#after')!.focus();
    assert.isTrue(isInside(room, deepActiveElement()), 'focus sent behind the dialog comes back into it');

    await sendKeys({ press: 'Escape' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.isTrue(room.isConnected, 'Escape does not close the room');
    assert.strictEqual(room.getAttribute('status'), 'waiting', 'Escape does not end the call');

    // Minimize: not modal any more, the page is usable; the phone button brings the call back.
    const dock = room.shadowRoot!.querySelector<HTMLButtonElement>('[part~="dock"]')!;
    dock.focus();
    await sendKeys({ press: 'Enter' });
    await room.updateComplete;
    assert.isTrue(room.docked);
    assert.strictEqual(deepActiveElement(), dock, 'focus stays on the same button, now Expand');
    assert.strictEqual(dock.getAttribute('part'), 'undock');
    phone.focus();
    assert.strictEqual(deepActiveElement(), phone, 'focus may leave the docked room');
    await sendKeys({ press: 'Enter' });
    await room.updateComplete;
    assert.isFalse(room.docked, 'the phone button expands the docked call');
    assert.strictEqual(document.body.querySelectorAll('call-room').length, 1, 'and opens no second room');
    assert.isTrue(isInside(room, deepActiveElement()), 'focus is in the room again');
    page.querySelector<HTMLButtonElement>('#after')!.focus();
    assert.isTrue(isInside(room, deepActiveElement()), 'and kept there');

    // END CALL from the keyboard: Shift+Tab from the dialog reaches the last control.
    room.shadowRoot!.querySelector<HTMLElement>('[part~="overlay"]')!.focus();
    await shiftTab();
    assert.strictEqual(deepActiveElement(), room.shadowRoot!.querySelector('[part~="end"]'));
    const ended = oneEvent(callButton, 'call-ended');
    await sendKeys({ press: 'Enter' });
    await ended;
    assert.isFalse(room.isConnected);
    assert.strictEqual(deepActiveElement(), phone, 'focus is back on the phone button');
  });

  it('a room opened from the page (the join page) takes focus too, and gives none back', async () => {
    const room = document.createElement('call-room');
    room.side = 'client';
    room.serviceUrl = await serviceUrl();
    room.callId = 'nope';
    room.joinSecret = 'bad';
    document.body.append(room);
    await room.updateComplete;
    assert.isTrue(isInside(room, deepActiveElement()));
    await waitFor(() => room.getAttribute('status') === 'failed', 5000, 'failed');
    await room.updateComplete;
    // No control left in a failed client room without Rejoin: Tab keeps focus on the dialog.
    await sendKeys({ press: 'Tab' });
    assert.isTrue(isInside(room, deepActiveElement()));
    room.remove();
    assert.strictEqual(deepActiveElement(), document.body);
  });

  it('with two rooms on one page the newer keeps focus, and hands it back to the older when it goes', async () => {
    const older = await openScriptedRoom({ role: 'agent' });
    const newer = await openScriptedRoom({ role: 'client' });
    try {
      assert.isTrue(isInside(newer.room, deepActiveElement()), 'the newer room has focus');
      for (let i = 0; i < 3; i++) {
        await sendKeys({ press: 'Tab' });
        assert.isTrue(isInside(newer.room, deepActiveElement()), `Tab ${i + 1} stays in the newer room`);
      }
      newer.room.remove();
      assert.isTrue(isInside(older.room, deepActiveElement()), 'focus is back in the older room');
      await sendKeys({ press: 'Tab' });
      assert.isTrue(isInside(older.room, deepActiveElement()), 'which keeps it now');
    } finally {
      newer.room.remove();
      older.room.remove();
    }
  });
});
