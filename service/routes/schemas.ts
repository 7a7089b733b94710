// TypeBox schemas of the wire contract, shared by the routes.
import { Type } from 'typebox';
import { SafeString } from '../../protocol/text.js';

/** {statusCode, code, error, message} */
export const ErrorSchema = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});

/** The call's wire views, defined once in protocol/call.ts. */
export { CallViewSchema, CredentialsSchema } from '../../protocol/call.js';

/**
 * A string input the store can hold: every string a client sends (params, bodies) uses this, since
 * PostgreSQL refuses NUL and lone surrogates with an error that would otherwise surface as a 500.
 */
export { SafeString };

/** The longest call id a client may send (ids are UUIDs; the slack keeps errors about length readable). */
export const CALL_ID_MAX_LENGTH = 128;

/** A call id as a client sends it. */
export const CallId = () => SafeString({ minLength: 1, maxLength: CALL_ID_MAX_LENGTH });

/** Path parameters naming a call. */
export const CallIdParams = Type.Object({ id: CallId() });

/** Error responses by status, for route schemas. */
export const errorResponses = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorSchema]));

/** A header marking responses that must not be cached (credentials, call state). */
export const NO_STORE = 'no-store';
