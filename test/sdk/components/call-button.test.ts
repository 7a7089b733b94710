import { assert, fixture, html } from '@open-wc/testing';
import '../../../sdk/define.js';
import type { CallButton } from '../../../sdk/components/call-button/call-button.js';
import { en } from '../../../sdk/i18n/en.js';

function parts(el: CallButton) {
  const root = el.shadowRoot!;
  return {
    button: root.querySelector<HTMLButtonElement>('[part~="button"]')!,
    reason: root.querySelector<HTMLElement>('[part~="reason"]'),
    icon: root.querySelector('[part~="icon"] svg'),
  };
}

describe('<call-button> prerequisites (no service needed)', () => {
  it('is enabled with a phone icon when every prerequisite holds', async () => {
    const el = await fixture<CallButton>(html`<call-button client-selected conversation-started agent-owns></call-button>`);
    const { button, reason, icon } = parts(el);
    assert.isFalse(button.disabled);
    assert.isNull(reason);
    assert.isNotNull(icon);
    assert.isFalse(button.hasAttribute('aria-describedby'));
  });

  const cases: [string, string][] = [
    ['conversation-started agent-owns', en.callButton.reasons.client_not_selected!],
    ['client-selected agent-owns', en.callButton.reasons.conversation_not_started!],
    ['client-selected conversation-started', en.callButton.reasons.not_conversation_owner!],
  ];
  for (const [attrs, text] of cases) {
    it(`is disabled and says "${text}"`, async () => {
      const el = await fixture<CallButton>(html`<call-button></call-button>`);
      for (const name of attrs.split(' ')) el.setAttribute(name, '');
      await el.updateComplete;
      const { button, reason } = parts(el);
      assert.isTrue(button.disabled);
      assert.strictEqual(reason?.textContent?.trim(), text);
      assert.strictEqual(button.getAttribute('aria-describedby'), reason?.id);
      assert.isTrue(reason!.getBoundingClientRect().height > 0, 'reason is visible');
    });
  }

  it('checks the client first, and re-enables when properties change', async () => {
    const el = await fixture<CallButton>(html`<call-button></call-button>`);
    assert.strictEqual(parts(el).reason?.textContent?.trim(), en.callButton.reasons.client_not_selected);
    el.clientSelected = true;
    el.conversationStarted = true;
    el.agentOwns = true;
    await el.updateComplete;
    assert.isFalse(parts(el).button.disabled);
    assert.isTrue(el.hasAttribute('client-selected'), 'reflected');
  });
});
