// The elements pick their language from `lang` (their own, an ancestor's): French is a separate
// chunk, fetched when an element first meets it, then the element renders again in French.
import { assert, fixture, html } from '@open-wc/testing';
import '../../../sdk/define.js';
import { en } from '../../../sdk/i18n/en.js';
import { loadLanguage } from '../../../sdk/i18n/index.js';
import { waitFor } from '../helpers/wait.js';
import { openScriptedRoom } from './scripted-room.js';

describe('the elements speak the language of the page', () => {
  it('<call-button lang="fr"> and a <call-room> under <div lang="fr"> show French (fetched on demand); English elsewhere on the page', async () => {
    // Nothing asked for French yet on this page: the button fetches it and renders again.
    const french = await fixture(html`<call-button lang="fr" conversation-started agent-owns></call-button>`);
    const fr = await loadLanguage('fr');
    await waitFor(() => french.shadowRoot!.textContent.includes(fr.callButton.reasons.client_not_selected!), 5000, 'the button in French');
    const english = await fixture(html`<call-button conversation-started agent-owns></call-button>`);
    assert.include(english.shadowRoot!.textContent, en.callButton.reasons.client_not_selected!);

    const scripted = await openScriptedRoom({ role: 'agent' });
    try {
      const wrapper = document.createElement('div');
      wrapper.lang = 'fr';
      document.body.append(wrapper);
      wrapper.append(scripted.room);
      await scripted.hello(false);
      await scripted.status('waiting');
      const root = scripted.room.shadowRoot!;
      assert.equal(root.querySelector('[part~="end"]')!.textContent.trim(), fr.room.controls.endCall);
      assert.equal(root.querySelector('[part~="title"]')!.textContent, 'Appel avec Bob Lambert');
      assert.equal(root.querySelector('[part~="status"]')!.textContent, fr.room.status.waitingAgentLinkSent);
      wrapper.remove();
    } finally {
      scripted.room.remove();
    }
  });
});
