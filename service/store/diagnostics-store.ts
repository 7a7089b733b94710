// The "Copy diagnostics" halves: the latest report of each side of a call, replaced on each report.
import type { Kysely } from 'kysely';
import type { DiagnosticsHalf, StoredDiagnostics } from '../../protocol/diagnostics.js';
import type { Role } from '../domain/credentials.js';
import type { Database } from './schema.js';

/** Reads and writes call_diagnostics. */
export class DiagnosticsStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Keeps `report` as the latest half of this role (one row per call and role: the store stays bounded). */
  async save(callId: string, role: Role, report: DiagnosticsHalf, receivedAt: Date): Promise<void> {
    const row = { call_id: callId, role, report: JSON.stringify(report), received_at: receivedAt.toISOString() };
    await this.#db.insertInto('call_diagnostics').values(row)
      .onConflict((oc) => oc.columns(['call_id', 'role']).doUpdateSet({ report: row.report, received_at: row.received_at }))
      .execute();
  }

  /** Both halves of a call (null where a side never reported). */
  async get(callId: string): Promise<Record<Role, StoredDiagnostics | null>> {
    const rows = await this.#db.selectFrom('call_diagnostics').selectAll().where('call_id', '=', callId).execute();
    const half = (role: Role): StoredDiagnostics | null => {
      const row = rows.find((r) => r.role === role);
      if (!row) return null;
      // jsonb comes back parsed from pg and PGlite alike; a string would be a driver without the parser.
      const report = (typeof row.report === 'string' ? JSON.parse(row.report) : row.report) as DiagnosticsHalf;
      return { role, receivedAt: new Date(row.received_at).toISOString(), report };
    };
    return { agent: half('agent'), client: half('client') };
  }
}
