import { assert } from '@open-wc/testing';
import { en } from '../../../sdk/i18n/en.js';
import { catalogFor, formatDateTime, formatDuration, formatElapsed, langOf, languageFor, loadLanguage } from '../../../sdk/i18n/index.js';

/** Every leaf path of a catalogue, with its `{placeholders}`. */
function leaves(value: unknown, path = ''): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (typeof value === 'string') out.set(path, [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort());
  else for (const [k, v] of Object.entries(value as object)) for (const [p, ph] of leaves(v, `${path}.${k}`)) out.set(p, ph);
  return out;
}

describe('i18n', () => {
  before(() => loadLanguage('fr'));

  it('French has every English string, with the same placeholders, and none left in English', () => {
    const english = leaves(en);
    const french = leaves(catalogFor('fr'));
    assert.deepEqual([...french.keys()].sort(), [...english.keys()].sort());
    const untranslated: string[] = [];
    for (const [path, placeholders] of english) {
      assert.deepEqual(french.get(path), placeholders, `placeholders of ${path}`);
      const text = path.split('.').slice(1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], catalogFor('fr'));
      const source = path.split('.').slice(1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], en);
      // "{name}" alone, "OK" and the like are the same in both languages.
      if (text === source && /[a-z]{3,}/i.test(String(source).replace(/\{\w+\}/g, ''))) untranslated.push(path);
    }
    assert.deepEqual(untranslated, [], 'strings still in English');
  });

  it('picks the catalogue from a language tag; unknown languages get English', () => {
    assert.equal(languageFor('fr-CA'), 'fr');
    assert.equal(languageFor('FR'), 'fr');
    assert.equal(languageFor('en-GB'), 'en');
    assert.equal(languageFor('de'), 'en');
    assert.equal(languageFor(''), 'en');
    assert.equal(catalogFor('fr').callButton.label, 'Appeler');
  });

  it('the lang of the element or an ancestor wins over the page', () => {
    const outer = document.createElement('div');
    outer.lang = 'fr';
    const inner = document.createElement('span');
    outer.append(inner);
    document.body.append(outer);
    try {
      assert.equal(langOf(inner), 'fr');
      outer.removeAttribute('lang');
      assert.equal(langOf(inner), document.documentElement.lang || navigator.language);
    } finally {
      outer.remove();
    }
  });

  it('formats elapsed time, durations and dates with Intl', () => {
    assert.equal(formatElapsed(0, 'en'), '00:00');
    assert.equal(formatElapsed(245, 'en'), '04:05');
    assert.equal(formatElapsed(3723, 'fr'), '1:02:03');
    assert.match(formatDuration(245, 'en'), /^4\smin.*5\ssec$/);
    assert.match(formatDuration(245, 'fr'), /^4\smin.*5\ss$/);
    const date = new Date(Date.UTC(2026, 10, 26, 9, 43, 37));
    assert.match(formatDateTime(date, 'fr'), /26\snov\.\s2026/);
    assert.match(formatDateTime(date, 'en'), /Nov\s26,\s2026/);
  });
});
