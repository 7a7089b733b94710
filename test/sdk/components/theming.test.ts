// docs/theming.md's promises: the custom properties and ::parts re-theme <call-room> and <call-button>.
import { assert, fixture, html } from '@open-wc/testing';
import '../../../sdk/define.js';
import { openScriptedRoom } from './scripted-room.js';

const THEME = `
  call-room.themed {
    --call-room-background: rgb(255, 250, 240);
    --call-room-color: rgb(17, 24, 39);
    --call-room-control-background: rgb(229, 231, 235);
    --call-room-end-background: rgb(190, 18, 60);
    --call-room-radius: 999px;
    --call-room-font: Georgia, serif;
  }
  call-room.themed::part(controls) { background: rgb(243, 244, 246); }
  call-room.themed::part(title) { letter-spacing: 0.05em; }
  call-button.themed {
    --call-button-background: rgb(124, 58, 237);
    --call-button-radius: 2px;
  }
`;

describe('theming', () => {
  let style: HTMLStyleElement;
  beforeEach(() => {
    style = document.createElement('style');
    style.textContent = THEME;
    document.head.append(style);
  });
  afterEach(() => style.remove());

  it('<call-room>: colours, radius, font and the control bar follow the page', async () => {
    const scripted = await openScriptedRoom({ role: 'agent' });
    const { room } = scripted;
    try {
      room.classList.add('themed');
      await scripted.hello(false);
      await room.updateComplete;
      const root = room.shadowRoot!;
      const css = (selector: string) => getComputedStyle(root.querySelector(selector)!);
      assert.equal(getComputedStyle(room).backgroundColor, 'rgb(255, 250, 240)');
      assert.equal(getComputedStyle(room).color, 'rgb(17, 24, 39)');
      assert.match(getComputedStyle(room).fontFamily, /Georgia/);
      assert.equal(css('button[part~="microphone"]').backgroundColor, 'rgb(229, 231, 235)');
      assert.equal(css('button[part~="microphone"]').borderTopLeftRadius, '999px');
      assert.equal(css('button[part~="end"]').backgroundColor, 'rgb(190, 18, 60)');
      assert.equal(css('[part~="controls"]').backgroundColor, 'rgb(243, 244, 246)');
      assert.equal(css('[part~="title"]').letterSpacing, `${0.05 * parseFloat(css('[part~="title"]').fontSize)}px`);
    } finally {
      room.remove();
    }
  });

  it('<call-button>: background and radius follow the page', async () => {
    const el = await fixture(html`<call-button class="themed"></call-button>`);
    const button = el.shadowRoot!.querySelector('[part~="button"]')!;
    // Disabled (no token, no client): the disabled background applies; the radius always does.
    assert.equal(getComputedStyle(button).borderTopLeftRadius, '2px');
    el.setAttribute('style', '--call-button-disabled-background: rgb(124, 58, 237)');
    assert.equal(getComputedStyle(button).backgroundColor, 'rgb(124, 58, 237)');
  });
});
