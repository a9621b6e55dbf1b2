/**
 * Names from the API are hostile until proven otherwise: they become file names on Windows, macOS
 * and Linux. Everything here is pure (no file system) except `assertInside`, which only uses
 * `node:path`.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { failWith } from '../../shared/model/errors';

/** Longest file name, in UTF-8 bytes (ext4, APFS; and ≥ the 255 UTF-16 units of NTFS). */
export const MAX_NAME_BYTES = 255;
/** An extension longer than this is not kept when a name must be shortened. */
const MAX_EXTENSION_BYTES = 32;

const encoder = new TextEncoder();
export function utf8Length(text: string): number {
  // Fast path for ASCII; TextEncoder for the rest.
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).length;
}

/**
 * Characters never written: Windows-forbidden punctuation, C0 controls, DEL, C1 controls, bidi
 * overrides/isolates (they make `gpj.exe` look like `exe.jpg`), and lone surrogates (not encodable).
 */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[/\\:*?"<>|\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Windows device names, also with spaces and/or any extension after them (`CON .txt`, `com1.tar.gz`). */
const RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)[ ]*(?:\..*)?$/i;
const TRAILING_DOTS_SPACES = /[. ]+$/;

export interface SafeName {
  name: string;
  /** True when the name written differs from the raw name (Unicode normalization alone is no change). */
  changed: boolean;
}

/** Splits off the extension kept when shortening: `.ext` after the last dot, not for dotfiles. */
export function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { stem: name, ext: '' };
  const ext = name.slice(dot);
  if (utf8Length(ext) > MAX_EXTENSION_BYTES) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes, cut between graphemes (or at least code points). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  if (utf8Length(text) <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = utf8Length(segment);
    if (used + size > maxBytes) {
      if (out === '') {
        // One enormous grapheme (a base with hundreds of combining marks): cut by code point.
        for (const codePoint of segment) {
          const cpSize = utf8Length(codePoint);
          if (used + cpSize > maxBytes) break;
          out += codePoint;
          used += cpSize;
        }
      }
      break;
    }
    out += segment;
    used += size;
  }
  return out;
}

/** Shortens `name` to `maxBytes`, keeping a short extension; never leaves trailing dots or spaces. */
export function fitName(name: string, maxBytes = MAX_NAME_BYTES): string {
  if (utf8Length(name) <= maxBytes) return name;
  const { stem, ext } = splitExtension(name);
  let fitted: string;
  if (ext && utf8Length(ext) < maxBytes) {
    const shortStem = truncateUtf8(stem, maxBytes - utf8Length(ext)).replace(TRAILING_DOTS_SPACES, '');
    fitted = shortStem ? shortStem + ext : truncateUtf8(name, maxBytes);
  } else {
    fitted = truncateUtf8(name, maxBytes);
  }
  fitted = fitted.replace(TRAILING_DOTS_SPACES, '');
  return fitted || '_';
}

/** Makes one path segment safe on every OS. */
export function safeSegment(raw: string): SafeName {
  const normalized = raw.normalize('NFC');
  let name = normalized.replace(FORBIDDEN, '_');
  // Windows drops trailing dots and spaces silently; `..` and `.` would walk the tree.
  name = name.replace(TRAILING_DOTS_SPACES, '');
  if (name === '') name = '_';
  if (RESERVED.test(name)) name = `_${name}`;
  name = fitName(name, MAX_NAME_BYTES);
  if (RESERVED.test(name)) name = fitName(`_${name}`, MAX_NAME_BYTES);
  return { name, changed: name !== normalized };
}

/** Sanitizes each segment of a relative path; `renamed` lists the segments that changed. */
export function safeRelativePath(segments: readonly string[]): {
  segments: string[];
  renamed: Array<[string, string]>;
} {
  const out: string[] = [];
  const renamed: Array<[string, string]> = [];
  for (const raw of segments) {
    const safe = safeSegment(raw);
    out.push(safe.name);
    if (safe.changed) renamed.push([raw, safe.name]);
  }
  return { segments: out, renamed };
}

/**
 * The key under which names clash: NFC and case-insensitive (`Readme.md` = `README.md`, composed
 * `é` = decomposed `é`), as on the default file systems of macOS and Windows.
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** `name (n).ext`, shortened so the result stays within `maxBytes`. */
export function withCounter(name: string, counter: number, maxBytes = MAX_NAME_BYTES): string {
  const { stem, ext } = splitExtension(name);
  const tag = ` (${counter})`;
  const budget = maxBytes - utf8Length(tag) - utf8Length(ext);
  let shortStem = truncateUtf8(stem, budget).replace(TRAILING_DOTS_SPACES, '');
  if (shortStem === '') shortStem = '_';
  return fitName(`${shortStem}${tag}${ext}`, maxBytes);
}

export interface AllocateOptions {
  /** Names that must be free alongside the candidate (e.g. its `.part` files); they are reserved too. */
  companions?: (name: string) => string[];
}

export interface AllocatedName extends SafeName {
  /** How many `(n)` counters were tried: 0 when the safe name was free. */
  counter: number;
}

/**
 * Allocates names inside one folder: never one that exists on disk (as listed when created) or that
 * was handed out before, compared case- and normalization-insensitively. Purely in memory; the
 * writer's no-replace rename is the last guard against races with other programs.
 */
export class FolderNames {
  readonly dir: string;
  #taken = new Set<string>();

  constructor(dir: string, existing: Iterable<string> = []) {
    this.dir = dir;
    for (const name of existing) this.#taken.add(nameKey(name));
  }

  isTaken(name: string): boolean {
    return this.#taken.has(nameKey(name));
  }

  /** Marks a name as used (a name this job wrote before a restart, for instance). */
  reserve(name: string): void {
    this.#taken.add(nameKey(name));
  }

  release(name: string): void {
    this.#taken.delete(nameKey(name));
  }

  /** A safe, free name for `raw`: `name`, then `name (1)`, `name (2)`… */
  allocate(raw: string, options: AllocateOptions = {}): AllocatedName {
    const safe = safeSegment(raw);
    const free = (candidate: string): boolean =>
      !this.isTaken(candidate) && !(options.companions?.(candidate) ?? []).some((c) => this.isTaken(c));
    let candidate = safe.name;
    let counter = 0;
    while (!free(candidate)) {
      counter += 1;
      candidate = withCounter(safe.name, counter);
    }
    this.reserve(candidate);
    for (const companion of options.companions?.(candidate) ?? []) this.reserve(companion);
    return { name: candidate, changed: safe.changed || counter > 0, counter };
  }
}

/**
 * Defence in depth: joins `segments` below `root` and refuses anything that would land outside it
 * (or on it). Segments are expected to be safe already; this catches bugs, not users.
 */
export function assertInside(root: string, segments: readonly string[]): string {
  const base = resolve(root);
  const target = resolve(base, ...segments);
  const rel = relative(base, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw failWith('io', 'outside_folder', 'Refused to write outside the chosen folder.');
  }
  return target;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The start of a working file's name for `name` that leaves room for `suffix` within
 * MAX_NAME_BYTES: `name` itself when it fits, else its beginning and a hash of the whole name
 * (`~1a2b3c4d`), so that two long names that begin alike still get names of their own.
 */
export function stemFor(name: string, suffix: string): string {
  if (utf8Length(name) + utf8Length(suffix) <= MAX_NAME_BYTES) return name;
  const tag = `~${fnv1a(name)}`;
  return truncateUtf8(name, MAX_NAME_BYTES - utf8Length(suffix) - tag.length) + tag;
}
