import { startStack } from '/work/main/test/support/stack.js';
import { launchChromium, mediaContext } from '/work/main/test/support/browser.js';
import { agentStartsCall, clientJoins } from '/work/main/test/support/call-flow.js';
const stack = await startStack();
const browser = await launchChromium();
const dump = (p: any) => p.evaluate(async () => {
  const out: any[] = [];
  for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
    const stats: any = {};
    (await pc.getStats()).forEach((s: any) => { if (s.type === 'inbound-rtp' || s.type === 'outbound-rtp') stats[`${s.type}-${s.kind}-${s.mid}`] = s.bytesReceived ?? s.bytesSent; });
    out.push({ cs: pc.connectionState, ss: pc.signalingState, tr: pc.getTransceivers().map((t) => `${t.mid}:${t.receiver.track.kind}:${t.direction}/${t.currentDirection}:sender=${t.sender.track?.kind ?? 'none'}`), stats });
  }
  return out;
});
try {
  for (let i = 0; i < 12; i++) {
    const a = await mediaContext(browser); const c = await mediaContext(browser);
    const agent = await a.newPage(); const client = await c.newPage();
    const url = await agentStartsCall(agent, stack.demoUrl);
    await clientJoins(client, agent, url);
    await client.waitForTimeout(2500);
    const cd = await dump(client); const ad = await dump(agent);
    const bad = JSON.stringify(cd).includes('inbound') ? !Object.entries(cd.filter((x: any) => x.cs !== 'closed').map((x: any) => x.stats).reduce((m: any, s: any) => ({ ...m, ...s }), {})).some(([k, v]) => k.startsWith('inbound-rtp-audio') && (v as number) > 0) : true;
    console.log(`run ${i}: ${bad ? 'NO CLIENT AUDIO' : 'ok'}`);
    if (bad) { console.log('client', JSON.stringify(cd, null, 1)); console.log('agent', JSON.stringify(ad, null, 1)); }
    await agent.locator('call-room').getByRole('button', { name: /end call/i }).click();
    await a.close(); await c.close();
  }
} catch (e) { console.error(e); } finally { await browser.close(); await stack.stop(); }
