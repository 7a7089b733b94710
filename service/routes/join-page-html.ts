// HTML of the hosted join page and of its error pages.
import type { JoinPageLanguage, JoinPageStrings } from './join-page-strings.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const BASE_STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  html, body { margin: 0; height: 100%; }
  body { background: #0f172a; color: #e2e8f0; }`;

const HANG_UP_ICON = '<svg class="icon" aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1 1 .4 1.9.7 2.8a2 2 0 0 1-.5 2.1L8 9.9a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.8.7a2 2 0 0 1 1.7 2z"/><line x1="2" y1="2" x2="22" y2="22"/></svg>';

/**
 * The document shell both pages share: no referrer, no favicon request, the base style; `lang` also
 * picks <call-room>'s language; `head`: more of it.
 */
function page(opts: { lang: JoinPageLanguage; title: string; style: string; body: string; head?: string }): string {
  return `<!doctype html>
<html lang="${opts.lang}">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${opts.title}</title>${opts.head ?? ''}
<style>${BASE_STYLE}${opts.style}
</style>
</head>
<body>
${opts.body}
</body>
</html>
`;
}

/**
 * The page a client opens from the link: it mounts <call-room side="client">. `preloads`: module
 * URLs the browser fetches at once, in parallel (join-page-preload.ts), rather than import by import.
 */
export function joinPageHtml(opts: { publicUrl: string; callId: string; nonce: string; lang: JoinPageLanguage; words: JoinPageStrings; preloads?: readonly string[] }): string {
  const { publicUrl, callId, nonce, lang, words } = opts;
  return page({
    lang,
    title: escapeHtml(words.joinTitle),
    head: (opts.preloads ?? []).map((href) => `\n<link rel="modulepreload" href="${escapeHtml(href)}">`).join(''),
    style: `
  call-room { display: block; position: fixed; inset: 0; width: 100vw; height: 100vh; height: 100dvh; }`,
    body: `<call-room side="client" service-url="${escapeHtml(publicUrl)}" call-id="${escapeHtml(callId)}"></call-room>
<noscript><p style="padding:2rem">${escapeHtml(words.needsJavaScript)}</p></noscript>
<script type="module" nonce="${nonce}">import { loadCallRoom } from '/sdk/switchboard.js'; await loadCallRoom(); const room = document.querySelector('call-room'); room.joinSecret = location.hash.slice(1);</script>`,
  });
}

/** A clear page for a link that cannot be used. */
export function messagePageHtml(opts: { lang: JoinPageLanguage; title: string; detail: string }): string {
  const title = escapeHtml(opts.title);
  return page({
    lang: opts.lang,
    title,
    style: `
  main { min-height: 100%; display: grid; place-items: center; padding: 1.5rem; box-sizing: border-box; }
  .card { max-width: 28rem; text-align: center; background: #1e293b; border-radius: 1rem; padding: 2.5rem 2rem; box-shadow: 0 10px 30px #0006; }
  h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
  p { margin: 0; line-height: 1.5; color: #cbd5e1; }
  .icon { width: 44px; height: 44px; margin: 0 auto 1rem; color: #94a3b8; }`,
    body: `<main><div class="card" role="alert">${HANG_UP_ICON}<h1>${title}</h1><p>${escapeHtml(opts.detail)}</p></div></main>`,
  });
}
