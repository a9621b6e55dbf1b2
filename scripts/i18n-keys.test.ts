/**
 * Every translation key the renderer uses exists in English and German. (i18next's t() takes any
 * string, so the type checker cannot catch a missing key; this test reads the sources instead.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { de } from '../renderer/src/i18n/de';
import { en } from '../renderer/src/i18n/en';
import { treeStrings } from '../renderer/src/components/tree/tree-strings';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.includes('.test.') ? [path] : [];
  });
}

const lookup = (strings: object, key: string): unknown =>
  key
    .split('.')
    .reduce<unknown>(
      (node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined),
      strings,
    );

describe('translations', () => {
  const used = new Map<string, boolean>();
  for (const file of sources(join(import.meta.dirname, '..', 'renderer', 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*[`']([a-zA-Z.]+?)(\.?\$\{[^}]+\})?[`']/g)) {
      used.set(m[1]!, Boolean(m[2]));
    }
  }

  it('finds the keys the components use', () => {
    expect(used.size).toBeGreaterThan(50);
  });

  it('has every used key in English and German', () => {
    const missing: string[] = [];
    for (const [key, dynamic] of used) {
      for (const [lang, strings] of [
        ['en', en],
        ['de', de],
      ] as const) {
        const value = lookup(strings, key);
        // A plural key (t('x', { count })) lives as x_one and x_other (i18next's plural suffixes).
        const plural = ['one', 'other'].every((form) => typeof lookup(strings, `${key}_${form}`) === 'string');
        const ok = dynamic ? typeof value === 'object' && value !== null : typeof value === 'string' || plural;
        if (!ok) missing.push(`${lang}: ${key}${dynamic ? '.*' : ''}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('German convention (Swiss German, "Elemente", "Min."/"Std.")', () => {
  const texts = (node: unknown): string[] =>
    typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(texts) : [];
  const german = [...texts(de), ...texts(treeStrings.de)];

  it('reads every German string', () => {
    expect(german.length).toBeGreaterThan(100);
  });

  it('never writes ß, "Eintrag"/"Einträge", or an English unit', () => {
    const bad = german.filter((s) => /ß|Eintr[äa]g|\d\s?(min|h)\b/.test(s));
    expect(bad).toEqual([]);
  });
});

describe('numbers in the UI’s language (issue 23.6)', () => {
  const texts = (node: unknown): string[] =>
    typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(texts) : [];

  it('every count in en.ts and de.ts is written with i18next’s number format ({{count, number}})', () => {
    const raw = [...texts(en), ...texts(de)].filter((s) =>
      /\{\{\s*(count|done|total|running|n|min|max)\s*\}\}/.test(s),
    );
    expect(raw).toEqual([]);
  });
});
