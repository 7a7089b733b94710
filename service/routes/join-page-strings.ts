// The words of the hosted join page's own shell and of its error pages, in each language the SDK
// has, chosen from the browser's Accept-Language. <call-room> brings its own strings (sdk/i18n)
// and picks them from <html lang>, which the shell sets to the same language. These stay in the
// service: the SDK's bundle never shows them.

/** English words of the join page shell. */
const en = {
  joinTitle: 'Join the call',
  needsJavaScript: 'This call needs JavaScript.',
  unknown: { title: 'This link is not valid', detail: 'Check that you opened the whole link, or ask for a new one.' },
  ended: { title: 'This call has ended', detail: 'If you still need help, ask for a new call.' },
  expired: { title: 'This link has expired — ask for a new one', detail: 'Call links only work for a limited time.' },
  busy: { title: 'Too many attempts', detail: 'Wait a minute, then open the link again.' },
  failed: { title: 'Something went wrong', detail: 'Reload the page in a moment. If it keeps happening, ask for a new link.' },
};

/** `T` with every string literal widened: another language must have every key of English. */
type Widen<T> = T extends string ? string : { -readonly [K in keyof T]: Widen<T[K]> };
/** The join page shell's words in one language. */
export type JoinPageStrings = Widen<typeof en>;

const fr: JoinPageStrings = {
  joinTitle: 'Rejoindre l’appel',
  needsJavaScript: 'Cet appel a besoin de JavaScript.',
  unknown: { title: 'Ce lien n’est pas valide', detail: 'Vérifiez que vous avez ouvert le lien en entier, ou demandez-en un nouveau.' },
  ended: { title: 'Cet appel est terminé', detail: 'Si vous avez encore besoin d’aide, demandez un nouvel appel.' },
  expired: { title: 'Ce lien a expiré — demandez-en un nouveau', detail: 'Les liens d’appel ne fonctionnent que pendant un temps limité.' },
  busy: { title: 'Trop de tentatives', detail: 'Attendez une minute, puis ouvrez à nouveau le lien.' },
  failed: { title: 'Un problème est survenu', detail: 'Rechargez la page dans un instant. Si cela se reproduit, demandez un nouveau lien.' },
};

const CATALOGUES = { en, fr } as const satisfies Record<string, JoinPageStrings>;
/** A language of the join page. */
export type JoinPageLanguage = keyof typeof CATALOGUES;

/**
 * The language for an `Accept-Language` header: the first supported one in the browser's order of
 * preference (q-values; "fr-CA" counts as French), English when none is (or no header).
 */
export function joinPageLanguage(acceptLanguage: string | string[] | undefined): JoinPageLanguage {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage ?? '';
  const ranked = header
    .split(',')
    .slice(0, 50)
    .map((entry, index) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.trim().toLowerCase().split(/[-_]/)[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((e) => e.primary !== '' && Number.isFinite(e.q) && e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const found = ranked.find((e) => e.primary in CATALOGUES);
  return found ? (found.primary as JoinPageLanguage) : 'en';
}

/** The join page's words in a language. */
export function joinPageStrings(language: JoinPageLanguage): JoinPageStrings {
  return CATALOGUES[language];
}
