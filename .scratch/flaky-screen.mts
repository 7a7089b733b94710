import { chromium } from 'playwright-core';
import { startStack } from '/work/main/test/support/stack.js';
import { CHROMIUM_ARGS, RECORD_MEDIA } from '/work/main/test/support/browser.js';
import { agentStartsCall, clientJoins } from '/work/main/test/support/call-flow.js';
const TITLE = 'Switchboard shared tab';
const stack = await startStack();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS.filter((a) => a !== '--use-fake-ui-for-media-stream'), `--auto-select-tab-capture-source-by-title=${TITLE}`] });
const dump = (p: any) => p.evaluate(async () => (window as any).__pcs.map((pc: RTCPeerConnection) => ({ cs: pc.connectionState, ss: pc.signalingState, tr: pc.getTransceivers().map((t) => `${t.mid}:${t.receiver.track.kind}:${t.direction}/${t.currentDirection}:sender=${t.sender.track?.kind ?? 'none'}`) })));
try {
  for (let i = 0; i < 8; i++) {
    const a = await browser.newContext({ permissions: ['camera', 'microphone'] }); await a.addInitScript(RECORD_MEDIA);
    const c = await browser.newContext({ permissions: ['camera', 'microphone'] }); await c.addInitScript(RECORD_MEDIA);
    const agent = await a.newPage(); const client = await c.newPage();
    agent.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('agent console', m.text()); });
    client.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('client console', m.text()); });
    const url = await agentStartsCall(agent, stack.demoUrl);
    await clientJoins(client, agent, url);
    const tab = await a.newPage(); await tab.setContent(`<title>${TITLE}</title><h1>x</h1>`); await agent.bringToFront();
    await agent.locator('call-room').getByRole('button', { name: /share screen/i }).click();
    let ok = true;
    try { await client.locator('call-room video[part~="remote-screen"]').waitFor({ timeout: 8000 }); } catch { ok = false; }
    console.log(`run ${i}: ${ok ? 'ok' : 'NO SCREEN'}`);
    if (!ok) {
      console.log('client', JSON.stringify(await dump(client)));
      console.log('agent', JSON.stringify(await dump(agent)));
      console.log('client parts', await client.evaluate(() => [...document.querySelector('call-room')!.shadowRoot!.querySelectorAll('[part]')].map((e) => e.getAttribute('part')).join(' | ')));
      console.log('agent screen pressed', await agent.evaluate(() => document.querySelector('call-room')?.shadowRoot?.querySelector('[part~="screen"]')?.getAttribute('aria-pressed')));
      console.log('agent screen tracks', await agent.evaluate(() => (window as any).__screenTracks.map((t: any) => t.readyState)));
    }
    await agent.locator('call-room').getByRole('button', { name: /end call/i }).click();
    await a.close(); await c.close();
  }
} catch (e) { console.error(e); } finally { await browser.close(); await stack.stop(); }
