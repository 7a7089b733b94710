// "Copy diagnostics" in <call-room>: the header control copies the report and says so in a live
// region; where the browser refuses the clipboard, the report is shown selected to copy by hand.
import { assert } from '@open-wc/testing';
import type { CallRoom } from '../../../sdk/components/call-room/call-room.js';
import { waitFor } from '../helpers/wait.js';
import { openScriptedRoom, type ScriptedRoom } from './scripted-room.js';

const part = <T extends HTMLElement = HTMLElement>(room: CallRoom, name: string): T | null => room.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard')!;

describe('<call-room> Copy diagnostics', () => {
  let opened: ScriptedRoom | null = null;
  afterEach(() => {
    opened?.room.remove();
    opened = null;
    delete (navigator as { clipboard?: unknown }).clipboard;
    Object.defineProperty(Navigator.prototype, 'clipboard', original);
  });

  it('copies the report (ids, this side, no token) and says "Diagnostics copied" in a live region', async () => {
    let written = '';
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void (written = text) } });
    const agent = (opened = await openScriptedRoom({ role: 'agent' }));
    await agent.hello(true);
    await agent.status('connected');
    const button = part<HTMLButtonElement>(agent.room, 'copy-diagnostics')!;
    assert.strictEqual(button.innerText.trim(), 'Copy diagnostics');
    button.click();
    await waitFor(() => written !== '', 5000, 'the clipboard written');
    await agent.room.updateComplete;
    const feedback = part(agent.room, 'diagnostics-feedback')!;
    assert.strictEqual(feedback.getAttribute('aria-live'), 'polite');
    assert.strictEqual(feedback.innerText.trim(), 'Diagnostics copied');
    for (const expected of ['c1', 'client-bob', 'Bob Lambert', 'agent-alice', 'Alice Martin', 'conv', '## Agent side', 'room connected']) assert.include(written, expected);
    assert.notInclude(written, 'call-token', 'no credentials in the report');
  });

  it('shows the report selected when the clipboard is refused', async () => {
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } });
    const execCommand = document.execCommand.bind(document);
    document.execCommand = () => false;
    try {
      const client = (opened = await openScriptedRoom({ role: 'client' }));
      client.confirmJoin();
      await client.hello(true);
      await client.status('connected');
      part<HTMLButtonElement>(client.room, 'copy-diagnostics')!.click();
      await waitFor(() => part(client.room, 'diagnostics-text') !== null, 5000, 'the fallback');
      await client.room.updateComplete;
      const area = part<HTMLTextAreaElement>(client.room, 'diagnostics-text')!;
      assert.include(area.value, '## Client side');
      assert.notInclude(area.value, 'call-token', 'no credentials in it');
      assert.strictEqual(area.getAttribute('aria-label'), 'Diagnostics report');
      await waitFor(() => area.selectionEnd - area.selectionStart === area.value.length, 2000, 'the report selected');
    } finally {
      document.execCommand = execCommand;
    }
  });
});
