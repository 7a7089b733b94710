import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../service/app.js';
import { loadConfig } from '../../service/config.js';
import { WEBHOOK_EVENT_TYPES } from '../../protocol/webhooks.js';

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: unknown; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: { properties?: Record<string, unknown> }; example?: unknown }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation }>;
  components: { securitySchemes: Record<string, unknown> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

async function documentOf(t: { after: (fn: () => unknown) => void }) {
  // With the operator key, so that the admin routes are registered and checked too.
  const app = await buildApp(loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent', OPERATOR_API_KEY: 'operator-key-for-the-openapi-test' }));
  t.after(() => app.close());
  const res = await app.inject({ url: '/openapi.json' });
  assert.equal(res.statusCode, 200);
  return { app, doc: res.json<Document>() };
}

/** Routes that are not part of the integrators' API, hidden from the document on purpose. */
const HIDDEN = [/^\/openapi\.json$/, /^\/metrics$/, /^\/docs(\/|\*|$)/, /^\/sdk\//];

/** Every registered route as `METHOD /path` (`:param` form), read from Fastify's route tree; HEAD and OPTIONS left out. */
function registeredRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    for (const method of match[3]!.split(', ')) if (method !== 'HEAD' && method !== 'OPTIONS') routes.push(`${method} ${stack.join('')}`);
  }
  return routes;
}

/** Every operation of the document as [METHOD, path, operation]. */
const operations = (doc: Document) => Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).filter(([method]) => METHODS.includes(method)).map(([method, op]) => [method.toUpperCase(), path, op] as const));

test('GET /openapi.json documents every REST route with its request and response schemas', async (t) => {
  const { doc } = await documentOf(t);
  assert.match(doc.openapi, /^3\.1/);
  const expected = [
    ['post', '/v1/calls'], ['get', '/v1/calls'], ['get', '/v1/calls/{id}'], ['post', '/v1/calls/{id}/end'], ['post', '/v1/calls/{id}/events'],
    ['post', '/v1/calls/{id}/resume'], ['get', '/v1/calls/{id}/timeline'], ['get', '/v1/calls/{id}/webhooks'], ['get', '/v1/calls/{id}/live'],
    ['post', '/v1/join'], ['get', '/v1/webhooks/deliveries'], ['post', '/v1/webhooks/deliveries/{id}/replay'], ['post', '/v1/webhooks/test'],
    ['post', '/v1/livekit/webhook'], ['get', '/healthz'], ['get', '/readyz'], ['get', '/join/{callId}'],
  ] as const;
  for (const [method, path] of expected) {
    const op = doc.paths[path]?.[method];
    assert.ok(op, `${method.toUpperCase()} ${path} is documented`);
    const codes = Object.keys(op.responses);
    assert.ok(codes.some((c) => c.startsWith('2') || c === '101'), `${method.toUpperCase()} ${path} has a success response`);
    if (!['/healthz', '/readyz'].includes(path)) assert.ok(codes.some((c) => c.startsWith('4')), `${method.toUpperCase()} ${path} documents its errors`);
    if (['/v1/calls', '/v1/join', '/v1/calls/{id}/end', '/v1/calls/{id}/events'].includes(path) && method === 'post') {
      assert.ok(op.requestBody?.content['application/json']?.example, `${path} documents its body with an example`);
    }
  }
  for (const hidden of ['/openapi.json', '/metrics', '/docs', '/docs/json']) assert.equal(doc.paths[hidden], undefined, `${hidden} is not part of the API`);
});

test('every registered route appears in the document, except the few hidden on purpose', async (t) => {
  const { app, doc } = await documentOf(t);
  const routes = registeredRoutes(app.printRoutes({ commonPrefix: false }));
  assert.ok(routes.includes('GET /v1/calls/:id/timeline'), 'the route tree was read');
  const documented = new Set(operations(doc).map(([method, path]) => `${method} ${path}`));
  for (const route of routes) {
    const [method, path] = route.split(' ') as [string, string];
    if (HIDDEN.some((pattern) => pattern.test(path))) continue;
    assert.ok(documented.has(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`), `${route} is documented`);
  }
});

test('every visible route has an operationId, a summary, one tag, its security and every error status it can answer, with codes', async (t) => {
  const { doc } = await documentOf(t);
  const ids = new Set<string>();
  const ops = operations(doc);
  assert.ok(ops.length >= 17);
  for (const [method, path, op] of ops) {
    const name = `${method} ${path}`;
    assert.ok(op.operationId && !ids.has(op.operationId), `${name}: a unique operationId`);
    ids.add(op.operationId);
    assert.ok(op.summary && op.summary.length > 10, `${name}: a summary`);
    assert.equal(op.tags?.length, 1, `${name}: one tag`);
    assert.ok(Array.isArray(op.security), `${name}: security (empty when public)`);
    for (const requirement of op.security) for (const scheme of Object.keys(requirement)) assert.ok(doc.components.securitySchemes[scheme], `${name}: ${scheme} is declared`);
    const statuses = Object.keys(op.responses);
    if (path === '/join/{callId}') continue; // HTML pages, errors included
    assert.ok(statuses.includes('500'), `${name}: 500 internal_error`);
    if (method === 'POST') for (const s of ['400', '413', '415']) assert.ok(statuses.includes(s), `${name}: ${s} (any body can be refused)`);
    if (path.includes('{')) for (const s of ['400', '414']) assert.ok(statuses.includes(s), `${name}: ${s} (any path parameter can be refused)`);
    for (const status of statuses.filter((s) => Number(s) >= 400 && !(path === '/readyz' && s === '503'))) {
      const response = op.responses[status]!;
      assert.match(response.description, /`[a-z_]+`/, `${name} ${status}: names its codes`);
      const media = response.content?.['application/json'];
      assert.deepEqual(Object.keys(media?.schema.properties ?? {}).sort(), ['code', 'error', 'message', 'statusCode'], `${name} ${status}: the error shape`);
      assert.equal((media?.example as { statusCode?: number } | undefined)?.statusCode, Number(status), `${name} ${status}: an example`);
    }
  }
  const security = (method: string, path: string) => doc.paths[path]![method]!.security!.flatMap((r) => Object.keys(r));
  assert.deepEqual(security('get', '/v1/calls'), ['apiKey']);
  assert.deepEqual(security('get', '/v1/calls/{id}/timeline'), ['callCredentials', 'apiKey']);
  assert.deepEqual(security('post', '/v1/join'), []);
  assert.match(doc.paths['/v1/calls']!.post!.responses['409']!.description, /`client_not_selected`.*`conversation_not_started`.*`not_conversation_owner`/);
  assert.ok(doc.paths['/v1/calls']!.post!.responses['201']!.content?.['application/json']?.example, 'the main answers have examples');
});

test('the webhooks section documents every event type\'s payload, signed headers included', async (t) => {
  const { doc } = await documentOf(t);
  assert.deepEqual(Object.keys(doc.webhooks).sort(), [...WEBHOOK_EVENT_TYPES].sort());
  for (const [type, { post }] of Object.entries(doc.webhooks)) {
    const media = post.requestBody?.content['application/json'];
    assert.ok(media?.schema, `${type}: a payload schema`);
    assert.equal((media.example as { type: string }).type, type, `${type}: an example`);
    assert.ok(post.responses['2XX'], `${type}: what the endpoint should answer`);
  }
  const ended = doc.webhooks['call.ended']!.post.requestBody!.content['application/json']!.schema as { properties: { data: { properties: Record<string, unknown> } } };
  assert.ok(ended.properties.data.properties.durationSeconds && ended.properties.data.properties.reason);
});

test('GET /docs answers the browsable docs (HTML) with its assets served locally', async (t) => {
  const { app } = await documentOf(t);
  const page = await app.inject({ url: '/docs' });
  const html = page.statusCode === 302 ? await app.inject({ url: new URL(String(page.headers.location), 'http://x/docs/').pathname }) : page;
  assert.equal(html.statusCode, 200);
  assert.match(String(html.headers['content-type']), /^text\/html/);
  assert.match(html.body, /swagger-ui/i);
  assert.doesNotMatch(html.body, /https?:\/\/(?!127\.0\.0\.1)[^"' ]*\.(js|css)/, 'no asset from another origin');
  const spec = await app.inject({ url: '/docs/json' });
  assert.equal(spec.statusCode, 200);
  assert.equal(spec.json<Document>().openapi.slice(0, 3), '3.1');
});
