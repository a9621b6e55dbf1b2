/**
 * Where each item of one transfer goes on disk. Raw API segments are mapped to safe, free names
 * (FolderNames per folder, shared across transfers through NameRegistry), folders are created as
 * needed, and every decision is journaled so a retry or a restart lands on the same names.
 */
import { lstat, mkdir, readdir } from 'node:fs/promises';
import { AppFailure } from '../../shared/model/errors';
import type { RenameReason } from '../../shared/model/existing';
import { basename, relative, resolve, sep } from 'node:path';
import { companionNames } from '../localfs/file-writer';
import { inside, resolveTarget } from '../localfs/paths';
import { rawKey, slotKey } from './journal';
import type { Journal, JournalEntry } from './journal';
import { FolderNames, assertInside, nameKey, safeSegment } from '../localfs/safe-name';

/** FolderNames per absolute folder, listed once; shared by all transfers that write there. */
export class NameRegistry {
  #folders = new Map<string, Promise<FolderNames>>();

  folder(dir: string): Promise<FolderNames> {
    const key = resolve(dir);
    let names = this.#folders.get(key);
    if (!names) {
      names = listNames(key).then((entries) => new FolderNames(key, entries));
      names.catch(() => this.#folders.delete(key));
      this.#folders.set(key, names);
    }
    return names;
  }

  /** Forgets every listing (when no transfer runs, so that new listings see the disk afresh). */
  clear(): void {
    this.#folders.clear();
  }
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export interface FileSlot {
  /** Raw names and the slot key (see `slotKey`). */
  raw: string[];
  key: string;
  /** Written segments below the target folder. */
  path: string[];
  /** Absolute path. */
  abs: string;
  /** Finished in an earlier run (journal), with its size. */
  done: boolean;
  bytes: number;
  /** The name was allocated in an earlier run (journal): a file there may be this item's own. */
  journaled: boolean;
  /**
   * A file of this name was there before (not this transfer's): nothing is journaled yet; the user
   * decides (`skip`, `keepBoth`, `claim`), see existing.ts.
   */
  existing?: boolean;
  /** Skipped in an earlier run because a file of this name was there. */
  skipped?: boolean;
  /** Of those, skipped because it was the same file (already there), not by the user's Skip. */
  same?: boolean;
}

/** A written path, folded as names clash (case, normalization). */
function ourKey(path: readonly string[]): string {
  return JSON.stringify(path.map(nameKey));
}

type Renamed = (original: string, written: string, reason: RenameReason) => void;

export class Layout {
  readonly targetDir: string;
  #journal: Journal;
  #names: NameRegistry;
  #onRenamed: Renamed;
  /** Paths this transfer allocated (journaled or now): its own files and folders are never "existing". */
  #ours = new Set<string>();
  /** Journaled names per written parent folder, reserved when that folder is first touched. */
  #journaled = new Map<string, Array<{ name: string; file: boolean }>>();
  #reservedIn = new Set<string>();
  #ensured = new Set<string>();

  constructor(targetDir: string, journal: Journal, names: NameRegistry, onRenamed: Renamed) {
    this.targetDir = resolve(targetDir);
    this.#journal = journal;
    this.#names = names;
    this.#onRenamed = onRenamed;
    const index = (path: string[], file: boolean): void => {
      const parent = rawKey(path.slice(0, -1));
      const list = this.#journaled.get(parent) ?? [];
      list.push({ name: path[path.length - 1] ?? '', file });
      this.#journaled.set(parent, list);
      this.#ours.add(ourKey(path));
    };
    for (const path of journal.dirs.values()) index(path, false);
    for (const file of journal.files.values()) index(file.path, true);
  }

  async #folder(written: string[]): Promise<FolderNames> {
    const abs = written.length === 0 ? this.targetDir : assertInside(this.targetDir, written);
    const names = await this.#names.folder(abs);
    const key = rawKey(written);
    if (!this.#reservedIn.has(key)) {
      this.#reservedIn.add(key);
      for (const { name, file } of this.#journaled.get(key) ?? []) {
        names.reserve(name);
        if (file) for (const companion of companionNames(name)) names.reserve(companion);
      }
    }
    return names;
  }

  #display(raw: readonly string[]): string {
    return raw.join('/');
  }

  #append(entry: JournalEntry, key: string): void {
    this.#journal.append(withKey(entry, key, entry.raw));
    this.#ours.add(ourKey(entry.path));
  }

  /** The safe name of `rawName` in `parent`, when an entry that is not this transfer's has it on disk. */
  async #foreign(
    names: FolderNames,
    parent: string[],
    rawName: string,
  ): Promise<{ path: string[]; dir: boolean } | null> {
    const path = [...parent, safeSegment(rawName).name];
    if (!names.isTaken(path[path.length - 1] as string) || this.#ours.has(ourKey(path))) return null;
    const info = await lstat(assertInside(this.targetDir, path)).catch(() => null);
    if (!info) return null;
    return info.isDirectory()
      ? { path, dir: true }
      : info.isFile() || info.isSymbolicLink()
        ? { path, dir: false }
        : null;
  }

  /** The folder for raw segments (within a scope), created (and journaled) on first use. */
  async dir(raw: readonly string[], scope?: string): Promise<string[]> {
    if (raw.length === 0) return [];
    const key = slotKey(raw, scope);
    const known = this.#journal.dirs.get(key);
    if (known) {
      if (!this.#ensured.has(key)) {
        await this.#reuse(known);
        this.#ensured.add(key);
      }
      return known;
    }
    const parent = await this.dir(raw.slice(0, -1), scope);
    const names = await this.#folder(parent);
    const rawName = raw[raw.length - 1] ?? '';
    const foreign = await this.#foreign(names, parent, rawName);
    if (foreign?.dir) {
      // A real folder of that name was there: merged into (Cyberduck, Explorer); its files are asked about.
      this.#ensured.add(key);
      this.#append({ t: 'dir', raw: [...raw], path: foreign.path }, key);
      return foreign.path;
    }
    for (;;) {
      const allocated = names.allocate(rawName);
      const path = [...parent, allocated.name];
      try {
        // Checked on the way (no link or junction below the download folder), then made: `mkdir` of
        // a name that something took meanwhile (a link included) fails, it never follows it.
        await mkdir(await resolveTarget(inside(this.targetDir, path.join('/'))));
      } catch (error) {
        // Something took the name since the folder was listed: never merge into it.
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        names.release(allocated.name);
        throw error;
      }
      this.#ensured.add(key);
      this.#append({ t: 'dir', raw: [...raw], path }, key);
      if (allocated.changed) this.#onRenamed(this.#display(raw), path.join('/'), reasonFor(rawName));
      return path;
    }
  }

  /**
   * A journaled folder is reused only if every part of its path is still a real folder (lstat,
   * links never followed); a missing one is created again. A folder swapped for a link fails.
   */
  async #reuse(written: readonly string[]): Promise<void> {
    for (let depth = 1; depth <= written.length; depth += 1) {
      const abs = assertInside(this.targetDir, written.slice(0, depth));
      let info;
      try {
        info = await lstat(abs);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        await mkdir(abs);
        continue;
      }
      if (!info.isDirectory()) {
        throw new AppFailure(
          'io',
          `"${written.slice(0, depth).join('/')}" is no longer a folder (it was replaced, perhaps by a link); nothing was written there. Move it away, then retry.`,
          undefined,
          { reason: 'not_a_folder', params: { path: written.slice(0, depth).join('/') } },
        );
      }
    }
  }

  /** The file for raw segments (within a scope, with the item's own id): its journaled name, or a new free one. */
  async file(raw: readonly string[], scope?: string, item?: string): Promise<FileSlot> {
    const key = slotKey(raw, scope, item);
    const known = this.#journal.files.get(key);
    if (known) {
      const parentKey = rawKey(known.path.slice(0, -1));
      if (!this.#ensured.has(`file:${parentKey}`)) {
        await this.#reuse(known.path.slice(0, -1));
        this.#ensured.add(`file:${parentKey}`);
      }
      const abs = assertInside(this.targetDir, known.path);
      const { done, bytes, skipped, same } = known;
      return {
        raw: [...raw],
        key,
        path: known.path,
        abs,
        done,
        bytes,
        journaled: true,
        ...(skipped ? { skipped } : {}),
        ...(same ? { same } : {}),
      };
    }
    const parent = await this.dir(raw.slice(0, -1), scope);
    const names = await this.#folder(parent);
    const rawName = raw[raw.length - 1] ?? '';
    const foreign = await this.#foreign(names, parent, rawName);
    if (foreign && !foreign.dir) {
      const abs = assertInside(this.targetDir, foreign.path);
      return { raw: [...raw], key, path: foreign.path, abs, done: false, bytes: 0, journaled: false, existing: true };
    }
    const allocated = names.allocate(rawName, { companions: companionNames });
    const path = [...parent, allocated.name];
    const abs = assertInside(this.targetDir, path);
    this.#append({ t: 'file', raw: [...raw], path }, key);
    if (allocated.changed) this.#onRenamed(this.#display(raw), path.join('/'), reasonFor(rawName));
    return { raw: [...raw], key, path, abs, done: false, bytes: 0, journaled: false };
  }

  /** Keep both: the new file gets the next free numbered name beside the existing one. */
  async keepBoth(slot: FileSlot): Promise<void> {
    const parent = slot.path.slice(0, -1);
    const names = await this.#folder(parent);
    const allocated = names.allocate(slot.raw[slot.raw.length - 1] ?? '', { companions: companionNames });
    slot.path = [...parent, allocated.name];
    slot.abs = assertInside(this.targetDir, slot.path);
    slot.existing = false;
    this.#append({ t: 'file', raw: slot.raw, path: slot.path }, slot.key);
    this.#onRenamed(this.#display(slot.raw), slot.path.join('/'), 'exists');
  }

  /**
   * Replace: the name becomes this transfer's (once the old file is in the trash). Not claimable
   * when this transfer owns the name already (another item of the same name replaced it).
   */
  claimable(slot: FileSlot): boolean {
    return !this.#ours.has(ourKey(slot.path));
  }

  claim(slot: FileSlot): void {
    slot.existing = false;
    this.#append({ t: 'file', raw: slot.raw, path: slot.path }, slot.key);
  }

  /** Skip: journaled, so that a restart does not ask again. `same`: the same file was already there. */
  skip(slot: FileSlot, bytes: number, same = false): void {
    slot.existing = false;
    slot.skipped = true;
    if (same) slot.same = true;
    const entry = { t: 'skip' as const, raw: slot.raw, path: slot.path, bytes, ...(same ? { same } : {}) };
    this.#journal.append(withKey(entry, slot.key, slot.raw));
  }

  /** The final name was taken while downloading: the next free one in the same folder. */
  async reallocate(slot: FileSlot, taken: string): Promise<string> {
    const known = this.#journal.files.get(slot.key);
    const parent = (known ?? slot).path.slice(0, -1);
    const names = await this.#folder(parent);
    names.reserve(basename(taken));
    const allocated = names.allocate(slot.raw[slot.raw.length - 1] ?? '', { companions: companionNames });
    const path = [...parent, allocated.name];
    this.#append({ t: 'file', raw: slot.raw, path }, slot.key);
    this.#onRenamed(this.#display(slot.raw), path.join('/'), 'exists');
    return assertInside(this.targetDir, path);
  }

  markDone(slot: FileSlot, abs: string, bytes: number): void {
    const rel = relative(this.targetDir, abs).split(sep);
    this.#journal.append(withKey({ t: 'done', raw: slot.raw, path: rel, bytes }, slot.key, slot.raw));
  }
}

/** Why an allocated name differs from the raw one: made safe, or else only numbered because it was taken. */
function reasonFor(rawName: string): RenameReason {
  return safeSegment(rawName).changed ? 'unsafe' : 'exists';
}

/** Journal entries carry `k` only when the key is not the plain raw key. */
function withKey<E extends JournalEntry>(entry: E, key: string, raw: readonly string[]): E {
  return key === rawKey(raw) ? entry : { ...entry, k: key };
}
