// Picks the strings and the number/date formats of the page's language. The `lang` attribute on
// the element or an ancestor (else <html lang>, else the browser's language) chooses among the
// catalogues; anything without a catalogue gets English.
import type { Catalog } from './catalog.js';
import { en } from './en.js';
import { fr } from './fr.js';

export { format } from './en.js';
export type { Catalog } from './catalog.js';

/** Languages with a complete catalogue. */
export const LANGUAGES = { en, fr } as const satisfies Record<string, Catalog>;
/** A language with a complete catalogue. */
export type Language = keyof typeof LANGUAGES;

/** The catalogue language for a BCP 47 tag ("fr-CA" → fr); English when there is none. */
export function languageFor(tag: string | null | undefined): Language {
  const primary = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return primary in LANGUAGES ? (primary as Language) : 'en';
}

/** The language tag that applies to an element: its own or an ancestor's `lang`, the page's, else the browser's. */
export function langOf(element: Element): string {
  const tagged = element.closest('[lang]')?.getAttribute('lang');
  if (tagged) return tagged;
  return document.documentElement.lang || navigator.language || 'en';
}

/** The strings for a language tag. */
export function catalogFor(tag: string | null | undefined): Catalog {
  return LANGUAGES[languageFor(tag)];
}

/** Elapsed time as a clock ("4:05", "1:02:03"), digits in the language's numbering. */
export function formatElapsed(totalSeconds: number, tag: string): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const two = new Intl.NumberFormat(tag, { minimumIntegerDigits: 2, useGrouping: false });
  const one = new Intl.NumberFormat(tag, { useGrouping: false });
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return h > 0 ? `${one.format(h)}:${two.format(m)}:${two.format(sec)}` : `${one.format(m)}:${two.format(sec)}`;
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
