// GET /join/:callId: the hosted join page (the secret stays in the fragment, never sent here).
// A person opens this URL, so every answer under /join/ is an HTML page, errors included.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { toErrorBody } from '../errors.js';
import { joinPageHtml, messagePageHtml } from './join-page-html.js';
import { readJoinPagePreloads } from './join-page-preload.js';
import { joinPageLanguage, joinPageStrings, type JoinPageLanguage, type JoinPageStrings } from './join-page-strings.js';
import { CallId } from './schemas.js';

/** The pages for links that cannot be used, by state: their status code (the words are in join-page-strings.ts). */
const PAGES = { unknown: 404, ended: 410, expired: 410, busy: 429, failed: 500 } as const;
type PageName = keyof typeof PAGES;

/** The language of the person's browser for this request (Accept-Language), and its words. */
function wordsFor(request: FastifyRequest): { lang: JoinPageLanguage; words: JoinPageStrings } {
  const lang = joinPageLanguage(request.headers['accept-language']);
  return { lang, words: joinPageStrings(lang) };
}

/** Sends a page for a link that cannot be used, in the person's language. */
function sendMessagePage(reply: FastifyReply, request: FastifyRequest, name: PageName): FastifyReply {
  const { lang, words } = wordsFor(request);
  return reply.code(PAGES[name]).header('content-language', lang).send(messagePageHtml({ lang, ...words[name] }));
}

/** The path prefix of join pages. */
export const JOIN_PAGE_PREFIX = '/join';

/** The origins a media server URL needs in `connect-src`: its signalling WebSocket and its HTTP API (LiveKit's region and validate calls). */
export function mediaConnectSources(mediaUrl: string | null): string[] {
  if (!mediaUrl) return [];
  const url = new URL(mediaUrl);
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  return [`${secure ? 'wss' : 'ws'}://${url.host}`, `${secure ? 'https' : 'http'}://${url.host}`];
}

/** Sets the security headers of a join page; `nonce` allows the page's one inline script; `extraConnect` adds media-server origins. */
function secureHtml(reply: FastifyReply, publicUrl: string, nonce = randomBytes(16).toString('base64'), extraConnect: string[] = []): FastifyReply {
  const wsOrigin = publicUrl.replace(/^http/, 'ws');
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    // The words follow the browser's language.
    .header('vary', 'Accept-Language')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('permissions-policy', 'camera=(self), microphone=(self), display-capture=(self)')
    .header('content-security-policy', [
      "default-src 'none'",
      `script-src 'nonce-${nonce}' 'self'`,
      "style-src 'self' 'unsafe-inline'",
      ['connect-src', "'self'", publicUrl, wsOrigin, ...extraConnect].join(' '),
      "img-src 'self' data: blob:",
      "media-src 'self' blob: mediastream:",
      "font-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '));
}

/**
 * Answers any error under /join/ with a human page: a bad or over-long id reads as an invalid link
 * (404), a rate limit as "too many attempts" (429, Retry-After kept), anything else as a 500 page.
 */
export function sendJoinErrorPage(publicUrl: string, err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { statusCode } = toErrorBody(err);
  if (statusCode >= 500) request.log.error({ err }, 'join page failed');
  return sendMessagePage(secureHtml(reply, publicUrl), request, statusCode === 429 ? 'busy' : statusCode >= 500 ? 'failed' : 'unknown');
}

/** Registered with prefix JOIN_PAGE_PREFIX: its error and not-found handlers then cover every /join/ URL. */
const joinPage: FastifyPluginAsyncTypebox<{ publicUrl: string; mediaUrl: string | null; sdkDir: string }> = async (fastify, opts) => {
  const { publicUrl } = opts;
  const preloads = readJoinPagePreloads(opts.sdkDir, opts.mediaUrl !== null);
  if (!preloads) fastify.log.warn({ sdkDir: opts.sdkDir }, 'no preload.json in the browser bundle (npm run build): join pages load it without preloading');
  const mediaSources = mediaConnectSources(opts.mediaUrl);
  fastify.setErrorHandler((err, request, reply) => sendJoinErrorPage(publicUrl, err, request, reply));
  fastify.setNotFoundHandler((request, reply) => sendMessagePage(secureHtml(reply, publicUrl), request, 'unknown'));
  // @fastify/cors answers OPTIONS on every path from the root, whose not-found handler speaks JSON.
  const noOptions = (_request: FastifyRequest, reply: FastifyReply) => reply.callNotFound();
  fastify.options('/', { schema: { hide: true } }, noOptions);
  fastify.options('/*', { schema: { hide: true } }, noOptions);

  fastify.get('/:callId', {
    onRequest: fastify.limits.joinPage,
    schema: {
      params: Type.Object({ callId: CallId() }),
      response: { 200: Type.String(), 404: Type.String(), 410: Type.String(), 429: Type.String(), 500: Type.String() },
    },
  }, async (request, reply) => {
    const nonce = randomBytes(16).toString('base64');
    const { callId } = request.params;
    const state = await fastify.calls.linkState(callId);
    secureHtml(reply, publicUrl, nonce, mediaSources);
    if (state !== 'open') return sendMessagePage(reply, request, state);
    const { lang, words } = wordsFor(request);
    return reply.code(200).header('content-language', lang).send(joinPageHtml({ publicUrl, callId, nonce, lang, words, preloads: preloads ?? [] }));
  });
};

export default joinPage;
