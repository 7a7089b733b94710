// GET /join/:callId: the hosted join page (the secret stays in the fragment, never sent here).
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { joinPageHtml, messagePageHtml } from './join-page-html.js';

const PAGES = {
  unknown: { status: 404, title: 'This link is not valid', detail: 'Check that you opened the whole link, or ask for a new one.' },
  ended: { status: 410, title: 'This call has ended', detail: 'If you still need help, ask for a new call.' },
  expired: { status: 410, title: 'This link has expired — ask for a new one', detail: 'Call links only work for a limited time.' },
} as const;

const joinPage: FastifyPluginAsyncTypebox<{ publicUrl: string }> = async (fastify, opts) => {
  const wsOrigin = opts.publicUrl.replace(/^http/, 'ws');
  fastify.get('/join/:callId', {
    schema: {
      params: Type.Object({ callId: Type.String() }),
      response: { 200: Type.String(), 404: Type.String(), 410: Type.String() },
    },
  }, async (request, reply) => {
    const nonce = randomBytes(16).toString('base64');
    const { callId } = request.params;
    const state = callId.length <= 128 ? await fastify.calls.linkState(callId) : 'unknown';
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('permissions-policy', 'camera=(self), microphone=(self), display-capture=(self)')
      .header('content-security-policy', [
        "default-src 'none'",
        `script-src 'nonce-${nonce}' 'self'`,
        "style-src 'self' 'unsafe-inline'",
        `connect-src 'self' ${opts.publicUrl} ${wsOrigin}`,
        "img-src 'self' data: blob:",
        "media-src 'self' blob: mediastream:",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '));
    if (state === 'open') return reply.code(200).send(joinPageHtml({ publicUrl: opts.publicUrl, callId, nonce }));
    const page = PAGES[state];
    return reply.code(page.status).send(messagePageHtml(page));
  });
};

export default joinPage;
