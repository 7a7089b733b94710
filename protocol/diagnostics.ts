// "Copy diagnostics": one side's half of the escalation report, as a browser sends it
// (POST /v1/calls/:id/diagnostics) and as the agent reads both back (GET). Every field is bounded;
// nothing in it is a secret (no token, no join secret: the service adds the link without its fragment).
import { Type, type Static } from 'typebox';
import { RoleSchema } from './call.js';
import { SafeString } from './text.js';

/** Largest diagnostics body accepted, in bytes (a half is ~1-2 KB). */
export const MAX_DIAGNOSTICS_BYTES = 8 * 1024;

const Text = (maxLength: number) => SafeString({ maxLength });
const Count = () => Type.Integer({ minimum: 0, maximum: 64 });
/** A permission's state; `unsupported` where the browser cannot tell. */
export const PermissionStateSchema = Type.Union([Type.Literal('granted'), Type.Literal('denied'), Type.Literal('prompt'), Type.Literal('unsupported')]);

/** One side's half of the report: its browser, permissions, devices, connection and view of the call. */
export const DiagnosticsHalfSchema = Type.Object({
  collectedAt: Text(40),
  /** The browser's local date and time, and its time zone. */
  localTime: Text(80),
  timeZone: Text(64),
  browser: Text(120),
  os: Text(120),
  platform: Text(32),
  userAgent: Text(512),
  permissions: Type.Object({ camera: PermissionStateSchema, microphone: PermissionStateSchema }, { additionalProperties: false }),
  /** How many devices of each kind, and how many have a label (labels appear once a permission was granted). */
  devices: Type.Object({ audioinput: Count(), videoinput: Count(), audiooutput: Count(), labelled: Count() }, { additionalProperties: false }),
  /** From the media connection's statistics; null where it has none yet. */
  connection: Type.Object({
    mediaMode: Text(16),
    rttMs: Type.Union([Type.Number({ minimum: 0, maximum: 600_000 }), Type.Null()]),
    packetLossPercent: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()]),
    candidateType: Type.Union([Text(16), Type.Null()]),
  }, { additionalProperties: false }),
  /** The call as this side sees it. */
  call: Type.Object({
    status: Text(32),
    microphone: Type.Boolean(),
    camera: Type.Boolean(),
    screen: Type.Boolean(),
  }, { additionalProperties: false }),
}, { additionalProperties: false });
/** One side's half of the report. */
export type DiagnosticsHalf = Static<typeof DiagnosticsHalfSchema>;

/** A stored half: who sent it and when the service received it. */
export const StoredDiagnosticsSchema = Type.Object({ role: RoleSchema, receivedAt: Type.String(), report: DiagnosticsHalfSchema });
/** A stored half. */
export type StoredDiagnostics = Static<typeof StoredDiagnosticsSchema>;

/** GET /v1/calls/:id/diagnostics: the latest half of each side, and the join link without its secret. */
export const CallDiagnosticsSchema = Type.Object({
  callId: Type.String(),
  /** PUBLIC_URL/join/<callId>: the secret (the fragment) is never stored nor returned. */
  joinLink: Type.String(),
  agent: Type.Union([StoredDiagnosticsSchema, Type.Null()]),
  client: Type.Union([StoredDiagnosticsSchema, Type.Null()]),
});
/** GET /v1/calls/:id/diagnostics. */
export type CallDiagnostics = Static<typeof CallDiagnosticsSchema>;
