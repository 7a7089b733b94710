import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCall, sharedApp, type CreateBody } from './helper.js';

const shared = sharedApp();

const secretOf = (joinUrl: string | null) => joinUrl!.split('#')[1]!;

test('POST /v1/join exchanges the link secret for client credentials and records link_opened', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  const res = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId: body.call.id, secret: secretOf(body.joinUrl) } });
  assert.equal(res.statusCode, 200);
  const joined = res.json<CreateBody>();
  assert.equal(joined.call.id, body.call.id);
  assert.equal(joined.credentials.role, 'client');
  // Short-lived (renewed over the live socket), never past the call's expiry.
  const lifetimeMs = Date.parse(joined.credentials.expiresAt) - Date.now();
  assert.ok(lifetimeMs > 590_000 && lifetimeMs <= 600_000, `credentials live 10 minutes, got ${lifetimeMs} ms`);
  assert.ok(Date.parse(joined.credentials.expiresAt) < Date.parse(String(body.call.expiresAt)));
  assert.equal(res.headers['cache-control'], 'no-store');
  const opened = await app.db.selectFrom('call_events').select('type').where('call_id', '=', body.call.id).where('type', '=', 'call.link_opened').execute();
  assert.equal(opened.length, 1);
});

test('the join secret is stored only as a SHA-256 hash', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  const row = await app.db.selectFrom('calls').select('secret_hash').where('id', '=', body.call.id).executeTakeFirstOrThrow();
  assert.match(row.secret_hash, /^[0-9a-f]{64}$/);
  assert.notEqual(row.secret_hash, secretOf(body.joinUrl));
  const events = await app.db.selectFrom('call_events').select('data').where('call_id', '=', body.call.id).execute();
  assert.ok(!JSON.stringify(events).includes(secretOf(body.joinUrl)), 'the timeline never holds the secret');
});

test('POST /v1/join with a wrong secret or unknown call answers 404 link_invalid', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  for (const payload of [{ callId: body.call.id, secret: 'x'.repeat(43) }, { callId: 'no-such-call', secret: secretOf(body.joinUrl) }]) {
    const res = await app.inject({ method: 'POST', url: '/v1/join', payload });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json<{ code: string }>().code, 'link_invalid');
  }
});

test('POST /v1/join with a bad body answers 400 invalid_request', async () => {
  const app = shared.app();
  for (const payload of [{}, { callId: 'x' }, { callId: 1, secret: 'y' }, { callId: '', secret: '' }]) {
    const res = await app.inject({ method: 'POST', url: '/v1/join', payload });
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
    assert.equal(res.json<{ code: string }>().code, 'invalid_request');
  }
});

test('POST /v1/join on an ended call answers 410 call_ended', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  await app.inject({ method: 'POST', url: `/v1/calls/${body.call.id}/end`, headers: { authorization: `Bearer ${body.credentials.token}` } });
  const res = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId: body.call.id, secret: secretOf(body.joinUrl) } });
  assert.equal(res.statusCode, 410);
  assert.equal(res.json<{ code: string }>().code, 'call_ended');
});

test('POST /v1/join after the link expired answers 410 link_expired and ends the call as expired', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  await app.db.updateTable('calls').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', body.call.id).execute();
  const res = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId: body.call.id, secret: secretOf(body.joinUrl) } });
  assert.equal(res.statusCode, 410);
  assert.equal(res.json<{ code: string }>().code, 'link_expired');
  const call = await app.calls.get(body.call.id);
  assert.equal(call?.status, 'ended');
  assert.equal(call?.endReason, 'expired');
  assert.equal(call?.endedBy, 'system');
});

test('GET /join/:callId serves the join page with a nonce CSP and no referrer', async () => {
  const app = shared.app();
  const { config } = shared;
  const { body } = await createCall(app, config);
  const res = await app.inject({ url: `/join/${body.call.id}` });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.equal(res.headers['referrer-policy'], 'no-referrer');
  const csp = String(res.headers['content-security-policy']);
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  assert.ok(nonce, 'CSP carries a nonce');
  assert.ok(res.body.includes(`<script type="module" nonce="${nonce}">`));
  assert.ok(res.body.includes(`<call-room side="client" service-url="${config.publicUrl}" call-id="${body.call.id}"></call-room>`));
  assert.ok(res.body.includes("import { loadCallRoom } from '/sdk/switchboard.js'"));
  assert.ok(res.body.includes('room.joinSecret = location.hash.slice(1)'));
  const again = await app.inject({ url: `/join/${body.call.id}` });
  assert.notEqual(/'nonce-([^']+)'/.exec(String(again.headers['content-security-policy']))?.[1], nonce, 'a fresh nonce per response');
});

test('GET /join/:callId shows human pages for unknown (404), ended (410) and expired (410) links', async () => {
  const app = shared.app();
  const unknown = await app.inject({ url: '/join/does-not-exist' });
  assert.equal(unknown.statusCode, 404);
  assert.match(String(unknown.headers['content-type']), /^text\/html/);
  assert.ok(unknown.body.includes('This link is not valid'));

  const ended = await createCall(app, shared.config);
  await app.inject({ method: 'POST', url: `/v1/calls/${ended.body.call.id}/end`, headers: { authorization: `Bearer ${shared.config.org.apiKey}` } });
  const endedPage = await app.inject({ url: `/join/${ended.body.call.id}` });
  assert.equal(endedPage.statusCode, 410);
  assert.ok(endedPage.body.includes('This call has ended'));

  const expired = await createCall(app, shared.config);
  await app.db.updateTable('calls').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', expired.body.call.id).execute();
  const expiredPage = await app.inject({ url: `/join/${expired.body.call.id}` });
  assert.equal(expiredPage.statusCode, 410);
  assert.ok(expiredPage.body.includes('This link has expired — ask for a new one'));
  assert.equal(expiredPage.headers['referrer-policy'], 'no-referrer');
});

test('the join page and its error pages speak French to a French browser, English otherwise, and tell <call-room> with <html lang>', async () => {
  const app = shared.app();
  const open = await createCall(app, shared.config);
  const ended = await createCall(app, shared.config);
  await app.inject({ method: 'POST', url: `/v1/calls/${ended.body.call.id}/end`, headers: { authorization: `Bearer ${shared.config.org.apiKey}` } });
  const expired = await createCall(app, shared.config);
  await app.db.updateTable('calls').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', expired.body.call.id).execute();
  const get = (url: string, acceptLanguage?: string) => app.inject({ url, headers: acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage } });
  const lang = (body: string) => /<html lang="([^"]+)">/.exec(body)?.[1];
  const title = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1];

  for (const header of ['fr', 'fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7', 'fr-CA', 'de-DE, fr;q=0.5, en;q=0.3']) {
    const joinPage = await get(`/join/${open.body.call.id}`, header);
    assert.equal(joinPage.statusCode, 200, header);
    assert.equal(lang(joinPage.body), 'fr', `${header}: <html lang="fr">, which <call-room> reads`);
    assert.equal(title(joinPage.body), 'Rejoindre l’appel', header);
    assert.ok(joinPage.body.includes('Cet appel a besoin de JavaScript.'), header);
    assert.equal(joinPage.headers['content-language'], 'fr');
    assert.match(String(joinPage.headers.vary), /Accept-Language/);
  }
  const pages: [string, number, string, string][] = [
    ['/join/does-not-exist', 404, 'Ce lien n’est pas valide', 'This link is not valid'],
    [`/join/${ended.body.call.id}`, 410, 'Cet appel est terminé', 'This call has ended'],
    [`/join/${expired.body.call.id}`, 410, 'Ce lien a expiré — demandez-en un nouveau', 'This link has expired — ask for a new one'],
    [`/join/${'x'.repeat(300)}`, 404, 'Ce lien n’est pas valide', 'This link is not valid'],
  ];
  for (const [url, status, french, english] of pages) {
    const fr = await get(url, 'fr-FR,fr;q=0.9');
    assert.equal(fr.statusCode, status, url);
    assert.equal(lang(fr.body), 'fr', url);
    assert.ok(fr.body.includes(`<h1>${french}</h1>`), `${url}: ${fr.body}`);
    assert.ok(!fr.body.includes(english), `${url}: no English left`);
    const en = await get(url, 'en-GB,en;q=0.9,fr;q=0.8');
    assert.equal(en.statusCode, status, url);
    assert.equal(lang(en.body), 'en', url);
    assert.ok(en.body.includes(`<h1>${english}</h1>`), url);
  }

  // Anything but French (or no header, or French refused) is English.
  for (const header of [undefined, '', 'de', 'es-ES,es;q=0.9', '*', 'fr;q=0, de', 'en, fr;q=0.9', 'garbage;;;q=x']) {
    const page = await get(`/join/${open.body.call.id}`, header);
    assert.equal(lang(page.body), 'en', String(header));
    assert.equal(title(page.body), 'Join the call', String(header));
    assert.ok(page.body.includes('This call needs JavaScript.'), String(header));
  }
});
