import { assert } from '@open-wc/testing';
import { ServiceClient, ServiceError } from '../../../sdk/core/service-client.js';

function fakeFetch(status: number, body: unknown, seen: Request[] = []): typeof fetch {
  return (input, init) => {
    seen.push(new Request(input, init));
    return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  };
}

describe('ServiceClient', () => {
  it('posts /v1/calls with the bearer token and the media', async () => {
    const seen: Request[] = [];
    const client = new ServiceClient({ serviceUrl: 'http://svc.test/', fetch: fakeFetch(201, { call: { id: 'c' }, credentials: {}, joinUrl: 'u' }, seen) });
    const result = await client.createCall('tok', { media: 'audio' });
    assert.strictEqual(result.joinUrl, 'u');
    assert.strictEqual(seen[0]!.url, 'http://svc.test/v1/calls');
    assert.strictEqual(seen[0]!.headers.get('authorization'), 'Bearer tok');
    assert.deepEqual(await seen[0]!.json(), { media: 'audio' });
  });

  it('parses the error shape into a ServiceError with status and code', async () => {
    const client = new ServiceClient({
      serviceUrl: 'http://svc.test',
      fetch: fakeFetch(409, { statusCode: 409, code: 'conversation_not_started', error: 'Conflict', message: 'start it' }),
    });
    try {
      await client.createCall('tok');
      assert.fail('should throw');
    } catch (error) {
      assert.instanceOf(error, ServiceError);
      const e = error;
      assert.strictEqual(e.status, 409);
      assert.strictEqual(e.code, 'conversation_not_started');
      assert.strictEqual(e.message, 'start it');
    }
  });

  it('turns an unreachable service into network_error (status 0)', async () => {
    const client = new ServiceClient({ serviceUrl: 'http://127.0.0.1:9' });
    try {
      await client.join('c', 's');
      assert.fail('should throw');
    } catch (error) {
      assert.strictEqual((error as ServiceError).code, 'network_error');
      assert.strictEqual((error as ServiceError).status, 0);
    }
  });
});
