// TypeBox schemas of the wire contract, shared by the routes.
import { Type } from 'typebox';

/** {statusCode, code, error, message} */
export const ErrorSchema = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});

/** The call's wire views live with the domain, which derives its types from them. */
export { CallViewSchema, CredentialsSchema } from '../domain/call-view.js';

/** Path parameters naming a call. */
export const CallIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

/** Error responses by status, for route schemas. */
export const errorResponses = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorSchema]));

/** A header marking responses that must not be cached (credentials, call state). */
export const NO_STORE = 'no-store';
