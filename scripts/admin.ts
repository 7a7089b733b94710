/**
 * `npm run admin -- <command>`: manage orgs and their keys in the service's store (DATA_DIR or DATABASE_URL, read by
 * service/config.ts like the service does). Secrets are printed once, when made. `--json` prints JSON instead of text.
 * With the embedded PGlite store, stop the service first (one process owns its files); on PostgreSQL it may run.
 */
import { parseArgs } from 'node:util';
import type { TSchema } from 'typebox';
import { Check, Errors } from 'typebox/value';
import type { Config } from '../service/config.js';
import { ServiceError } from '../service/errors.js';
import { bootstrapEnvOrg } from '../service/orgs/bootstrap.js';
import { deleteOrg, orgDeletionDeps, type OrgDeletionResult } from '../service/orgs/org-deletion.js';
import { OrgAdmin } from '../service/orgs/org-admin.js';
import { OrgStore } from '../service/orgs/org-store.js';
import { CreateOrgBody, RotateWebhookSecretBody, UpdateOrgBody, type NewOrg, type NewWebhookSecret, type OrgView } from '../service/orgs/org-views.js';
import { loadConfigOrExit } from '../service/server.js';
import { openDatabase } from '../service/store/database.js';

const USAGE = `Usage: npm run admin -- <command> [options] [--json]

  org create --name NAME [--id ID] [--webhook-url URL] [--origins A,B] [--link-ttl SECONDS] [--ring-timeout SECONDS]
  org list
  org show --org ID
  org delete --org ID --yes                      ends its open calls, revokes its keys, removes its calls,
                                                 deliveries and keys (docs/deployment.md)
  org update --org ID [--name NAME] [--webhook-url URL|none] [--origins A,B|none] [--link-ttl SECONDS] [--ring-timeout SECONDS]
  key create --org ID --name NAME                API key (shown once)
  key revoke --org ID --key KEY_ID
  signing-key rotate --org ID                    adds a key (shown once); the others stay active until revoked
  signing-key revoke --org ID --kid KID
  webhook-secret rotate --org ID [--overlap SECONDS]
                                                 new webhook secret (shown once); the current one is signed with too
                                                 for SECONDS (default 86400; 0: dropped at once)

The store is the service's: DATA_DIR (PGlite; stop the service first) or DATABASE_URL.`;

/** A mistake in the command line: the usage is printed with it. */
class UsageError extends Error {}

const OPTIONS = {
  name: { type: 'string' }, id: { type: 'string' }, org: { type: 'string' }, key: { type: 'string' }, kid: { type: 'string' },
  'webhook-url': { type: 'string' }, origins: { type: 'string' }, 'link-ttl': { type: 'string' }, 'ring-timeout': { type: 'string' },
  overlap: { type: 'string' }, yes: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function required(values: Values, name: 'name' | 'org' | 'key' | 'kid'): string {
  const value = values[name];
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

function seconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number of seconds`);
  return Number(value);
}

/** `none` clears a list or URL; anything else is comma-separated. */
const list = (value: string | undefined) => (value === undefined ? undefined : value === 'none' ? [] : value.split(',').map((o) => o.trim()).filter(Boolean));

/** Checks input against the admin API's own schema, so the CLI accepts exactly what the routes accept. */
function checked<T>(schema: TSchema, input: Record<string, unknown>): T {
  const clean = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  if (!Check(schema, clean)) {
    const [first] = Errors(schema, clean);
    throw new UsageError(`${first?.instancePath.replace(/^\//, '') || 'options'} ${first?.message ?? 'are not valid'}`);
  }
  return clean as T;
}

function settings(values: Values): Record<string, unknown> {
  const url = values['webhook-url'];
  return {
    name: values.name,
    webhookUrl: url === 'none' ? null : url,
    allowedOrigins: list(values.origins),
    linkTtlSeconds: seconds(values['link-ttl'], 'link-ttl'),
    ringTimeoutSeconds: seconds(values['ring-timeout'], 'ring-timeout'),
  };
}

/** Runs one command; the result is printed by `print`. */
async function run(admin: OrgAdmin, command: string, values: Values): Promise<unknown> {
  switch (command) {
    case 'org create':
      return admin.createOrg(checked(CreateOrgBody, { ...settings(values), id: values.id, name: required(values, 'name') }));
    case 'org list':
      return { orgs: await admin.listOrgs() };
    case 'org show':
      return admin.getOrg(required(values, 'org'));
    case 'org update':
      return admin.updateOrg(required(values, 'org'), checked(UpdateOrgBody, settings(values)));
    case 'key create':
      return admin.createApiKey(required(values, 'org'), required(values, 'name'));
    case 'key revoke':
      return admin.revokeApiKey(required(values, 'org'), required(values, 'key'));
    case 'signing-key rotate':
      return admin.rotateSigningKey(required(values, 'org'));
    case 'signing-key revoke':
      return admin.revokeSigningKey(required(values, 'org'), required(values, 'kid'));
    case 'webhook-secret rotate':
      return admin.rotateWebhookSecret(required(values, 'org'), checked(RotateWebhookSecretBody, { overlapSeconds: seconds(values.overlap, 'overlap') }));
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function describeOrg(org: OrgView): string {
  const active = <T extends { revokedAt: string | null }>(keys: T[]) => keys.filter((k) => k.revokedAt === null);
  return [
    `${org.id}  ${org.name}`,
    `  webhook URL:     ${org.webhookUrl ?? '(none)'}`,
    `  allowed origins: ${org.allowedOrigins.join(', ') || '(any)'}`,
    `  link TTL ${org.linkTtlSeconds} s, ring timeout ${org.ringTimeoutSeconds} s, created ${org.createdAt}`,
    ...org.signingKeys.map((k) => `  signing key ${k.kid}  created ${k.createdAt}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}`),
    ...org.apiKeys.map((k) => `  API key ${k.id}  "${k.name}"  ${k.prefix}…  last used ${k.lastUsedAt ?? 'never'}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}`),
    ...(org.previousWebhookSecretValidUntil ? [`  previous webhook secret signed with too until ${org.previousWebhookSecretValidUntil}`] : []),
    ...(active(org.signingKeys).length === 0 ? ['  ! no active signing key: agent tokens of this org are refused'] : []),
  ].join('\n');
}

const ONCE = 'Shown once: store these now. The service keeps signing keys and the webhook secret (it must use them) and only a hash of API keys.';

function print(command: string, result: unknown, json: boolean): void {
  if (json) return console.log(JSON.stringify(result, null, 2));
  const r = result as Record<string, unknown>;
  if (command === 'org create') {
    const { org, signingKey, apiKey, webhookSecret } = result as NewOrg;
    console.log(`${describeOrg(org)}\n\nSigning key (HS256, put "kid" in the agent token's header):\n  kid:    ${signingKey.kid}\n  secret: ${signingKey.secret}`);
    console.log(`API key ${apiKey.id}:\n  ${apiKey.key}\nWebhook secret:\n  ${webhookSecret}\n\n${ONCE}`);
  } else if (command === 'org list') {
    const orgs = r.orgs as OrgView[];
    console.log(orgs.length === 0 ? 'No orgs.' : orgs.map(describeOrg).join('\n\n'));
  } else if (command === 'org show' || command === 'org update') {
    console.log(describeOrg(result as OrgView));
  } else if (command === 'key create') {
    console.log(`API key ${String(r.id)} ("${String(r.name)}"):\n  ${String(r.key)}\n\n${ONCE}`);
  } else if (command === 'signing-key rotate') {
    console.log(`Signing key added; the older ones stay active until revoked:\n  kid:    ${String(r.kid)}\n  secret: ${String(r.secret)}\n\n${ONCE}`);
  } else if (command === 'org delete') {
    const d = result as OrgDeletionResult;
    console.log(`Deleted org ${d.id}: ${d.callsEnded} open calls ended (org_deleted), ${d.callsDeleted} calls and ${d.deliveriesDeleted} webhook deliveries removed, its keys with it.`);
  } else if (command === 'webhook-secret rotate') {
    const rotated = result as NewWebhookSecret;
    console.log(`New webhook secret; webhooks carry a signature with the previous one too until ${rotated.previousSecretValidUntil}:\n  ${rotated.webhookSecret}\n\n${ONCE}`);
  } else {
    console.log(`Revoked ${String(r.id ?? r.kid)} at ${String(r.revokedAt)}.`);
  }
}

/**
 * `org delete`: runs in the service's app (built, not listening) so that ending the calls does what it does in the
 * service: their sockets are told on every instance (PostgreSQL), their LiveKit rooms are deleted.
 */
async function deleteCommand(config: Config, values: Values): Promise<number> {
  try {
    const orgId = required(values, 'org');
    if (!values.yes) throw new UsageError(`--yes is required: deleting ${orgId} ends its calls and removes its data for good`);
    // Loaded here only: the other commands need no app, and loading it under tsx takes seconds.
    const { buildApp } = await import('../service/app.js');
    const app = await buildApp({ ...config, logLevel: 'silent' });
    try {
      print('org delete', await deleteOrg(orgDeletionDeps(app), orgId), values.json === true);
    } finally {
      await app.close();
    }
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

/** A usage or service error, told on stderr: exit status 2 for usage, 1 otherwise; anything else is rethrown. */
function reportError(err: unknown): number {
  if (err instanceof UsageError) console.error(`${err.message}\n\n${USAGE}`);
  else if (err instanceof ServiceError) console.error(`${err.code}: ${err.message}`);
  else throw err;
  return err instanceof UsageError ? 2 : 1;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length !== 2) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const command = positionals.join(' ');
  const config: Config = loadConfigOrExit();
  if (command === 'org delete') return deleteCommand(config, values);
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    const store = new OrgStore(db);
    // The same first start as the service's: the org of the environment exists before anything is asked of it.
    await bootstrapEnvOrg(store, config);
    print(command, await run(new OrgAdmin(store, config), command, values), values.json === true);
    return 0;
  } catch (err) {
    return reportError(err);
  } finally {
    await db.destroy();
  }
}

process.exitCode = await main();
