// Access to the real service started by the web-test-runner plugin (test/support/wtr-service.ts).

/** The service's base URL; throws a clear error when the test plugin is not running. */
export async function serviceUrl(): Promise<string> {
  const response = await fetch('/__test/env').catch(() => null);
  if (!response?.ok) throw new Error('GET /__test/env failed: run web-test-runner under `node --import tsx` so the service plugin starts');
  const { serviceUrl: url } = (await response.json()) as { serviceUrl: string };
  return url;
}

/** A signed agent token; `overrides` replaces claims (e.g. `{ client_id: null }`). */
export async function agentToken(overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await fetch('/__test/agent-token', { method: 'POST', body: JSON.stringify(overrides) });
  if (!response.ok) throw new Error(`POST /__test/agent-token answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}
