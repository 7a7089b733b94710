// A service process for log-destination.test.ts: JSON logs on stdout as deployed, a request, a synchronous marker
// written straight to stdout, then a close (`close`) or an uncaught error (`crash`). Not a test file of its own.
import { writeSync } from 'node:fs';
import { buildApp } from '../../service/app.js';
import { fastConfig } from './helper.js';

const app = await buildApp(fastConfig({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }));
await app.ready();
await app.inject({ url: '/healthz', headers: { 'x-request-id': 'log-probe' } });
writeSync(1, 'MARK\n');
if (process.argv[2] === 'crash') throw new Error('boom');
await app.close();
writeSync(1, 'CLOSED\n');
