// Every error the service answers with, by stable code; the wire shape is {statusCode, code, error, message}.
import { STATUS_CODES } from 'node:http';
import { SAFE_TEXT_PATTERN, UNSAFE_TEXT_MESSAGE } from './domain/safe-text.js';

/** The stable error codes of the REST API. */
export const ErrorCode = {
  invalid_request: 400,
  unauthorized: 401,
  token_expired: 401,
  credentials_replaced: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  not_found: 404,
  call_not_found: 404,
  delivery_not_found: 404,
  link_invalid: 404,
  org_not_found: 404,
  api_key_not_found: 404,
  signing_key_not_found: 404,
  org_exists: 409,
  org_in_environment: 409,
  client_not_selected: 409,
  conversation_not_started: 409,
  not_conversation_owner: 409,
  call_ended: 409,
  call_not_ringing: 409,
  request_timeout: 408,
  link_expired: 410,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  headers_too_large: 431,
  internal_error: 500,
  media_unavailable: 503,
} as const;
/** One of the stable error codes. */
export type ErrorCode = keyof typeof ErrorCode;

/** An error meant for the wire: carries its status and stable code. */
export class ServiceError extends Error {
  override name = 'ServiceError';
  readonly statusCode: number;
  constructor(readonly code: ErrorCode, message: string, statusCode?: number) {
    super(message);
    this.statusCode = statusCode ?? ErrorCode[code];
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

/** Builds the wire body for a status and code. */
export function errorBody(statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** Shorthands so call sites read as the error they raise. */
export const errors = {
  invalidRequest: (message: string) => new ServiceError('invalid_request', message),
  unauthorized: (message = 'Missing or invalid credentials') => new ServiceError('unauthorized', message),
  tokenExpired: (message = 'The token has expired') => new ServiceError('token_expired', message),
  credentialsReplaced: () => new ServiceError('credentials_replaced', 'The link was opened again elsewhere; these call credentials no longer work'),
  forbidden: (message: string) => new ServiceError('forbidden', message),
  originNotAllowed: () => new ServiceError('origin_not_allowed', 'This page\'s origin is not among the allowed origins of the org'),
  mediaUnavailable: () => new ServiceError('media_unavailable', 'The media server cannot be reached right now; try again in a moment'),
  callNotFound: () => new ServiceError('call_not_found', 'No such call'),
  deliveryNotFound: () => new ServiceError('delivery_not_found', 'No such webhook delivery'),
  linkInvalid: () => new ServiceError('link_invalid', 'This link is not valid'),
  callEnded: (statusCode: 409 | 410 = 409) => new ServiceError('call_ended', 'This call has ended', statusCode),
  callNotRinging: () => new ServiceError('call_not_ringing', 'The client already joined this call: there is no invite to send again'),
  linkExpired: () => new ServiceError('link_expired', 'This link has expired; ask for a new one'),
  clientNotSelected: () => new ServiceError('client_not_selected', 'Select a client before starting a call'),
  conversationNotStarted: () => new ServiceError('conversation_not_started', 'Start the conversation before calling the client'),
  notConversationOwner: () => new ServiceError('not_conversation_owner', 'Only the owner of the conversation can call the client'),
  rateLimited: (retryAfterSeconds: number) =>
    new ServiceError('rate_limited', `Too many requests; retry in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`),
};

interface ValidationItem {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: { allowedValue?: unknown; pattern?: string };
}

/** Turns schema-validation items into one readable sentence, e.g. "body/media must be one of "audio", "video"". */
function describeValidation(where: string, items: ValidationItem[]): string {
  const byPath = new Map<string, { allowed: unknown[]; messages: Set<string> }>();
  for (const item of items) {
    const path = `${where}${item.instancePath ?? ''}`;
    const entry = byPath.get(path) ?? { allowed: [], messages: new Set<string>() };
    byPath.set(path, entry);
    if (item.keyword === 'const') entry.allowed.push(item.params?.allowedValue);
    // The raw pattern would read as noise; say what it refuses.
    else if (item.keyword === 'pattern' && item.params?.pattern === SAFE_TEXT_PATTERN) entry.messages.add(UNSAFE_TEXT_MESSAGE);
    else if (item.keyword !== 'anyOf' && item.message) entry.messages.add(item.message);
  }
  return [...byPath].map(([path, { allowed, messages }]) =>
    allowed.length > 0 && messages.size === 0
      ? `${path} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`
      : `${path} ${[...messages].join(', ') || 'is invalid'}`).join('; ');
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
  validation?: ValidationItem[];
  validationContext?: string;
}

/**
 * Fastify's own errors by code, mapped to our codes and messages; Fastify's messages may echo a
 * whole path or name internals, and its codes (FST_ERR_…) are not part of our contract.
 */
const FASTIFY_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Send the body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_request', message: 'The body size does not match Content-Length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_request', message: 'The body is not valid JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_request', message: 'The body is not valid JSON' },
  FST_ERR_BAD_URL: { code: 'invalid_request', message: 'The URL is not valid (bad percent-encoding)' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'uri_too_long', message: 'A path segment of the URL is too long' },
  FST_ERR_NOT_FOUND: { code: 'not_found', message: 'Not found' },
};

/** Our code for a 4xx status nobody mapped more precisely. */
const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 408: 'request_timeout', 413: 'payload_too_large',
  414: 'uri_too_long', 415: 'unsupported_media_type', 429: 'rate_limited', 431: 'headers_too_large',
};

/** Maps any thrown value to a wire body; 5xx bodies never carry internal details. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof ServiceError) return errorBody(err.statusCode, err.code, err.message);
  const e = err as FastifyLikeError;
  if (e && Array.isArray(e.validation)) {
    const where = e.validationContext ?? 'request';
    return errorBody(400, 'invalid_request', describeValidation(where, e.validation) || e.message);
  }
  const known = typeof e?.code === 'string' ? FASTIFY_ERRORS[e.code] : undefined;
  if (known) return errorBody(ErrorCode[known.code], known.code, known.message);
  const status = typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
  if (status === 500) return errorBody(500, 'internal_error', 'Something went wrong on our side');
  if (status === 404) return errorBody(404, 'not_found', 'Not found');
  if (status === 401) return errorBody(401, 'unauthorized', 'Missing or invalid credentials');
  return errorBody(status, CODE_BY_STATUS[status] ?? 'invalid_request', e.message);
}
