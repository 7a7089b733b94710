// Picks the strings and the number/date formats of the page's language. The `lang` attribute on
// the element or an ancestor (else <html lang>, else the browser's language) chooses among the
// catalogues; anything without a catalogue gets English.
import type { Catalog } from './catalog.js';
import { en } from './en.js';

export { format } from './en.js';
export type { Catalog } from './catalog.js';

/**
 * Languages with a complete catalogue. English is built in; the others are separate chunks,
 * downloaded only by a page that asks for them (an English page never carries French).
 */
const LOADERS = {
  en: () => Promise.resolve(en),
  fr: () => import('./fr.js').then((m) => m.fr),
} as const satisfies Record<string, () => Promise<Catalog>>;
/** A language with a complete catalogue. */
export type Language = keyof typeof LOADERS;

const loaded: Partial<Record<Language, Catalog>> = { en };
const loading = new Map<Language, Promise<Catalog>>();

/** The catalogue language for a BCP 47 tag ("fr-CA" → fr); English when there is none. */
export function languageFor(tag: string | null | undefined): Language {
  const primary = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return primary in LOADERS ? (primary as Language) : 'en';
}

/**
 * Downloads a language's catalogue (once). The elements do it by themselves when they meet the
 * language, showing English meanwhile; a page that must never show English first can await it.
 */
export function loadLanguage(tag: string): Promise<Catalog> {
  const language = languageFor(tag);
  const ready = loaded[language];
  if (ready) return Promise.resolve(ready);
  let pending = loading.get(language);
  if (!pending) {
    pending = LOADERS[language]().then((catalog) => (loaded[language] = catalog));
    loading.set(language, pending);
  }
  return pending;
}

/** The language tag that applies to an element: its own or an ancestor's `lang`, the page's, else the browser's. */
export function langOf(element: Element): string {
  const tagged = element.closest('[lang]')?.getAttribute('lang');
  if (tagged) return tagged;
  return document.documentElement.lang || navigator.language || 'en';
}

/** The strings for a language tag: English while that language's catalogue is not loaded yet. */
export function catalogFor(tag: string | null | undefined): Catalog {
  return loaded[languageFor(tag)] ?? en;
}

let active: { tag: string; catalog: Catalog } = { tag: 'en', catalog: en };

/**
 * The strings of the element being rendered (English until an element says otherwise). Lit renders
 * synchronously, so what an element's render reads is its own language; messages built outside a
 * render (a device error, a failed call) take the language of the element rendered last, which is
 * the page's as long as the page uses one language at a time.
 */
export function strings(): Catalog {
  return active.catalog;
}

/** The language tag in force (for Intl), as {@link strings}. */
export function activeLang(): string {
  return active.tag;
}

/**
 * An element calls this before it renders: its language's strings become {@link strings}(). A
 * language not loaded yet is fetched, and the element renders again once it is there.
 */
export function useLanguageOf(element: Element & { requestUpdate(): void }): Catalog {
  const tag = langOf(element);
  if (!loaded[languageFor(tag)]) void loadLanguage(tag).then(() => element.requestUpdate(), () => undefined);
  if (tag !== active.tag || active.catalog !== catalogFor(tag)) active = { tag, catalog: catalogFor(tag) };
  return active.catalog;
}

/** Elapsed time as a call clock ("04:07" under an hour, "1:02:03" past it), digits in the language's numbering. */
export function formatElapsed(totalSeconds: number, tag: string): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const two = new Intl.NumberFormat(tag, { minimumIntegerDigits: 2, useGrouping: false });
  const one = new Intl.NumberFormat(tag, { useGrouping: false });
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return h > 0 ? `${one.format(h)}:${two.format(m)}:${two.format(sec)}` : `${two.format(m)}:${two.format(sec)}`;
}

/** A duration in words ("4 min 5 s", "4 min et 5 s"), with Intl.DurationFormat where the browser has it. */
export function formatDuration(totalSeconds: number, tag: string): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const parts = { hours: Math.floor(s / 3600), minutes: Math.floor((s % 3600) / 60), seconds: s % 60 };
  const DurationFormat = (Intl as unknown as { DurationFormat?: new (tag: string, o: object) => { format(d: object): string } }).DurationFormat;
  if (DurationFormat) return new DurationFormat(tag, { style: 'short' }).format(parts);
  const unit = (value: number, u: string) => new Intl.NumberFormat(tag, { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  const shown = [parts.hours && unit(parts.hours, 'hour'), parts.minutes && unit(parts.minutes, 'minute'), (parts.seconds || s === 0) && unit(parts.seconds, 'second')];
  return shown.filter(Boolean).join(' ');
}

/** A date and time in the language's format ("26 Nov 2026, 09:43:37"). */
export function formatDateTime(date: Date, tag: string): string {
  return new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}
