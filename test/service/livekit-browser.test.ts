// Real LiveKit webhooks: a real LiveKit server posts to the service while livekit-client in Chromium
// (fake camera, microphone and screen) joins, shares, leaves, is taken over and is ended.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../service/app.js';
import type { Config } from '../../service/config.js';
import { launchChromium } from '../support/browser.js';
import { freePort } from '../support/free-port.js';
import { startLivekitServer, type LivekitServer } from '../support/livekit-server.js';
import { createAndJoin, fastConfig, waitUntil } from './helper.js';

/** What the tests use of livekit-client's Room, inside the page. */
interface PageRoom {
  state: string;
  connect(url: string, token: string): Promise<void>;
  disconnect(): Promise<void>;
  localParticipant: { setScreenShareEnabled(on: boolean): Promise<unknown> };
}
type PageWindow = { LivekitClient: { Room: new () => PageRoom }; rooms: PageRoom[] };

/** LiveKit closes an emptied room this long after the last one left, then says room_finished. */
const DEPARTURE_TIMEOUT_SECONDS = 1;

let lk: LivekitServer;
let app: FastifyInstance;
let config: Config;
let browser: Browser;
let appUrl: string;

before(async () => {
  const apiKey = 'switchboard-test';
  const apiSecret = randomBytes(24).toString('base64url');
  const lkPort = await freePort();
  const base = fastConfig({ LIVEKIT_URL: `ws://127.0.0.1:${lkPort}`, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret });
  assert.ok(base.media.mode === 'livekit');
  config = { ...base, media: { ...base.media, departureTimeoutSeconds: DEPARTURE_TIMEOUT_SECONDS } };
  app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  appUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  lk = await startLivekitServer({ apiKey, apiSecret, ports: { http: lkPort }, webhookUrl: `${appUrl}/v1/livekit/webhook` });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await lk?.stop();
  await app?.close();
});

/** A page on the service's origin (a secure context) with livekit-client loaded. */
async function livekitPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${appUrl}/healthz`);
  await page.addScriptTag({ path: 'node_modules/livekit-client/dist/livekit-client.umd.js' });
  return page;
}

/** Connects a new Room in the page; resolves with its index, rejects with LiveKit's refusal. */
function connect(page: Page, token: string): Promise<number> {
  return page.evaluate(async ({ url, token }) => {
    const w = window as unknown as PageWindow;
    const room = new w.LivekitClient.Room();
    w.rooms = w.rooms ?? [];
    w.rooms.push(room);
    await room.connect(url, token);
    return w.rooms.length - 1;
  }, { url: lk.url, token });
}

function roomState(page: Page, index: number): Promise<string> {
  return page.evaluate((i) => (window as unknown as PageWindow).rooms[i]!.state, index);
}

async function status(callId: string): Promise<string> {
  return (await app.calls.get(callId))!.status;
}

async function timeline(callId: string): Promise<string[]> {
  const rows = await app.db.selectFrom('call_events').select(['type', 'by']).where('call_id', '=', callId).orderBy('id').execute();
  return rows.map((r) => `${r.type}/${r.by}`);
}

async function clientJoin(callId: string, secret: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret } });
  return res.json<{ credentials: { media: { token: string } } }>().credentials.media.token;
}

test('a real client in the room drives the call: joined, screen share started and stopped, left, then room_finished ends it', async (t) => {
  const page = await livekitPage();
  t.after(() => page.close());
  const { callId, secret } = await createAndJoin(app, config);
  const index = await connect(page, await clientJoin(callId, secret));
  await waitUntil(async () => (await status(callId)) === 'active', 10_000, 'participant_joined → active');

  await page.evaluate((i) => (window as unknown as PageWindow).rooms[i]!.localParticipant.setScreenShareEnabled(true), index);
  await waitUntil(async () => (await timeline(callId)).includes('call.screen_share_started/client'), 10_000, 'track_published → screen_share_started');
  await page.evaluate((i) => (window as unknown as PageWindow).rooms[i]!.localParticipant.setScreenShareEnabled(false), index);
  await waitUntil(async () => (await timeline(callId)).includes('call.screen_share_stopped/client'), 10_000, 'track_unpublished → screen_share_stopped');

  await page.evaluate((i) => (window as unknown as PageWindow).rooms[i]!.disconnect(), index);
  await waitUntil(async () => (await status(callId)) === 'client_left', 10_000, 'participant_left → client_left');
  await waitUntil(async () => (await status(callId)) === 'ended', 30_000, 'room_finished after the departure timeout');
  const call = (await app.calls.get(callId))!;
  assert.equal(call.endReason, 'room_finished');
  const events = (await timeline(callId)).filter((e) => !/created|invite|link_opened/.test(e));
  assert.deepEqual(events, [
    'call.client_joined/client', 'call.screen_share_started/client', 'call.screen_share_stopped/client', 'call.client_left/client', 'call.ended/system',
  ]);
  const applied = await app.db.withTables<{ livekit_webhook_events: { id: string } }>().selectFrom('livekit_webhook_events').select('id').execute();
  assert.ok(applied.every((r) => r.id.startsWith('EV_')), 'ids as the real server sends them');
});

test('reopening the link takes over: the older client participant is removed from the room and the call stays active', async (t) => {
  const first = await livekitPage();
  const second = await livekitPage();
  t.after(() => Promise.all([first.close(), second.close()]));
  const { callId, secret } = await createAndJoin(app, config);
  const a = await connect(first, await clientJoin(callId, secret));
  await waitUntil(async () => (await status(callId)) === 'active', 10_000, 'first session active');
  const b = await connect(second, await clientJoin(callId, secret));
  await waitUntil(async () => (await roomState(first, a)) === 'disconnected', 10_000, 'the older session removed');
  assert.equal(await roomState(second, b), 'connected');
  const rooms = new RoomServiceClient(lk.httpUrl, lk.apiKey, lk.apiSecret);
  await waitUntil(async () => (await rooms.listParticipants(callId)).length === 1, 10_000, 'one client participant left in the room');
  await new Promise((r) => setTimeout(r, 500)); // let the older session's participant_left arrive
  assert.equal(await status(callId), 'active');
  assert.equal((await timeline(callId)).filter((e) => e === 'call.client_left/client').length, 0);
});

test('END CALL disconnects everyone at once, and the old token cannot bring anyone (or the room) back', async (t) => {
  const page = await livekitPage();
  t.after(() => page.close());
  const { callId, secret, agentToken } = await createAndJoin(app, config);
  const token = await clientJoin(callId, secret);
  const index = await connect(page, token);
  await waitUntil(async () => (await status(callId)) === 'active', 10_000, 'active');
  const end = await app.inject({ method: 'POST', url: `/v1/calls/${callId}/end`, headers: { authorization: `Bearer ${agentToken}` }, payload: {} });
  assert.equal(end.statusCode, 200);
  await waitUntil(async () => (await roomState(page, index)) === 'disconnected', 10_000, 'the participant disconnected by DeleteRoom');
  await assert.rejects(connect(page, token), /room|not found|404/i);
  const rooms = new RoomServiceClient(lk.httpUrl, lk.apiKey, lk.apiSecret);
  assert.deepEqual(await rooms.listRooms([callId]), []);
  assert.equal(await status(callId), 'ended');
});
