import { describe, expect, it } from 'vitest';
import { companionNames } from './file-writer';
import {
  FolderNames,
  MAX_NAME_BYTES,
  assertInside,
  nameKey,
  safeRelativePath,
  safeSegment,
  utf8Length,
  withCounter,
} from './safe-name';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
/** Survives a UTF-8 round trip unchanged: no split code point, no lone surrogate. */
const wellFormed = (s: string): boolean => Buffer.from(s, 'utf8').toString('utf8') === s;

describe('safeSegment', () => {
  it.each([
    ['../x', '.._x'],
    ['..', '_'],
    ['.', '_'],
    ['', '_'],
    ['...', '_'],
    ['a/b', 'a_b'],
    ['a\\b', 'a_b'],
    ['what?*:"<>|.txt', 'what_______.txt'],
    ['report. ', 'report'],
    ['notes.txt...', 'notes.txt'],
    ['trailing space ', 'trailing space'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['Con .txt', '_Con .txt'],
    ['CON ', '_CON'],
    ['nul.tar.gz', '_nul.tar.gz'],
    ['LPT9.doc', '_LPT9.doc'],
    ['com¹', '_com¹'],
    ['aux.', '_aux'],
  ])('%j → %j', (raw, expected) => {
    const result = safeSegment(raw);
    expect(result.name).toBe(expected);
    expect(result.changed).toBe(true);
  });

  it('keeps ordinary names, including ones that only look like device names', () => {
    for (const name of ['CONSOLE', 'console.log', 'COM10', 'LPTX', 'Résumé.pdf', '.bashrc', 'a..b', ' lead']) {
      expect(safeSegment(name)).toEqual({ name, changed: false });
    }
  });

  it('replaces C0, DEL, C1 and bidi control characters', () => {
    const result = safeSegment('a\u0000b\u0009c\u001f\u007fd\u0085e\u009f\u202Egpj.exe');
    expect(result.name).toBe('a_b_c__d_e__gpj.exe');
    expect(result.changed).toBe(true);
  });

  it('replaces lone surrogates but keeps pairs', () => {
    expect(safeSegment('x\ud800y').name).toBe('x_y');
    expect(safeSegment('x\udc00y').name).toBe('x_y');
    expect(safeSegment('x😀y')).toEqual({ name: 'x😀y', changed: false });
  });

  it('shortens a 300-character name to 255 bytes, keeping the extension', () => {
    const result = safeSegment(`${'a'.repeat(300)}.txt`);
    expect(bytes(result.name)).toBe(MAX_NAME_BYTES);
    expect(result.name.endsWith('.txt')).toBe(true);
    expect(result.changed).toBe(true);
  });

  it('shortens multi-byte names by bytes without splitting a character', () => {
    const accented = safeSegment(`${'é'.repeat(200)}.pdf`); // 404 bytes
    expect(bytes(accented.name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(accented.name).toMatch(/^é+\.pdf$/);
    expect(wellFormed(accented.name)).toBe(true);

    const cjk = safeSegment('漢'.repeat(100)); // 300 bytes, 3 each
    expect(bytes(cjk.name)).toBe(255);
    expect(wellFormed(cjk.name)).toBe(true);
  });

  it('never splits an emoji (surrogate pair) or a ZWJ sequence', () => {
    const emoji = safeSegment('😀'.repeat(100)); // 400 bytes
    expect(bytes(emoji.name)).toBe(252);
    expect(wellFormed(emoji.name)).toBe(true);
    const family = '👨‍👩‍👧‍👦'; // 25 bytes, one grapheme
    const families = safeSegment(`${family.repeat(20)}.png`);
    expect(bytes(families.name)).toBeLessThanOrEqual(255);
    expect(families.name).toBe(`${family.repeat(10)}.png`);
  });

  it('normalizes to NFC without reporting a change', () => {
    const decomposed = 'Cafe\u0301.txt';
    const result = safeSegment(decomposed);
    expect(result.name).toBe('Café.txt');
    expect(result.name).toBe(result.name.normalize('NFC'));
    expect(result.changed).toBe(false);
  });

  it('is idempotent and always safe on random hostile input', () => {
    const alphabet = [
      'a',
      'Z',
      '.',
      ' ',
      '/',
      '\\',
      ':',
      '\u0000',
      '\u001f',
      '\u0085',
      'é',
      'e\u0301',
      '😀',
      'CON',
      '漢',
      '\ud800',
      '?',
    ];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 500; i += 1) {
      const length = random(400);
      let raw = '';
      for (let j = 0; j < length; j += 1) raw += alphabet[random(alphabet.length)];
      const { name } = safeSegment(raw);
      expect(utf8Length(name)).toBeLessThanOrEqual(255);
      // eslint-disable-next-line no-control-regex
      expect(name).not.toMatch(/[/\\:*?"<>|\u0000-\u001f\u007f-\u009f]/);
      expect(name).not.toMatch(/[. ]$/);
      expect(name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d) *(\.|$)/i);
      expect(wellFormed(name)).toBe(true);
      expect(safeSegment(name)).toEqual({ name, changed: false });
    }
  });
});

describe('safeRelativePath / assertInside', () => {
  it('sanitizes each segment and lists what changed', () => {
    const result = safeRelativePath(['..', 'a/b', 'ok', 'CON']);
    expect(result.segments).toEqual(['_', 'a_b', 'ok', '_CON']);
    expect(result.renamed).toEqual([
      ['..', '_'],
      ['a/b', 'a_b'],
      ['CON', '_CON'],
    ]);
  });

  it('refuses paths that leave the root', () => {
    expect(() => assertInside('/tmp/root', ['..', 'x'])).toThrow(/outside/);
    expect(() => assertInside('/tmp/root', ['a', '..', '..', 'x'])).toThrow(/outside/);
    expect(() => assertInside('/tmp/root', ['/etc/passwd'])).toThrow(/outside/);
    expect(() => assertInside('/tmp/root', [])).toThrow(/outside/);
    expect(assertInside('/tmp/root', ['a', 'b'])).toBe('/tmp/root/a/b');
    expect(assertInside('/tmp/root', safeRelativePath(['..', '..', 'etc']).segments)).toBe('/tmp/root/_/_/etc');
  });
});

describe('FolderNames', () => {
  it('never hands out an existing name: name (1).ext, name (2).ext', () => {
    const names = new FolderNames('/x', ['report.pdf', 'Makefile', '.bashrc']);
    expect(names.allocate('report.pdf')).toEqual({ name: 'report (1).pdf', changed: true, counter: 1 });
    expect(names.allocate('report.pdf').name).toBe('report (2).pdf');
    expect(names.allocate('Makefile').name).toBe('Makefile (1)');
    expect(names.allocate('.bashrc').name).toBe('.bashrc (1)');
    expect(names.allocate('new.txt')).toEqual({ name: 'new.txt', changed: false, counter: 0 });
    expect(names.allocate('new.txt').name).toBe('new (1).txt');
  });

  it('treats names differing only by case or Unicode normalization as the same', () => {
    const names = new FolderNames('/x');
    expect(names.allocate('Readme.md').name).toBe('Readme.md');
    expect(names.allocate('README.md').name).toBe('README (1).md');
    expect(names.allocate('Caf\u00e9').name).toBe('Café');
    expect(names.allocate('Cafe\u0301').name).toBe('Café (1)');
    expect(nameKey('STRASSE')).toBe(nameKey('straße'));
  });

  it('clashes after sanitizing (CON and _CON, a/b and a_b)', () => {
    const names = new FolderNames('/x', ['_CON']);
    expect(names.allocate('CON').name).toBe('_CON (1)');
    expect(names.allocate('a/b').name).toBe('a_b');
    expect(names.allocate('a_b').name).toBe('a_b (1)');
  });

  it('stays within 255 bytes with the counter, keeping the extension', () => {
    const long = `${'x'.repeat(251)}.txt`;
    const names = new FolderNames('/x', [long]);
    const next = names.allocate(long).name;
    expect(bytes(next)).toBeLessThanOrEqual(255);
    expect(next.endsWith(' (1).txt')).toBe(true);
    expect(bytes(withCounter('😀'.repeat(63), 12))).toBeLessThanOrEqual(255);
    expect(wellFormed(withCounter('😀'.repeat(63), 12))).toBe(true);
  });

  it('requires companions (.part files) to be free and reserves them', () => {
    const names = new FolderNames('/x', ['video.mp4.part']);
    const first = names.allocate('video.mp4', { companions: companionNames });
    expect(first.name).toBe('video (1).mp4');
    expect(names.isTaken('video (1).mp4.part')).toBe(true);
    expect(names.allocate('video (1).mp4.part').name).toBe('video (1).mp4 (1).part');
  });
});
