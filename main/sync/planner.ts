/**
 * The planner: a pure function from (remote snapshot, manifest, local tree) to the actions that
 * bring the local folder in step, one way, without ever losing a local byte:
 * - a file changed locally is never replaced (the remote version lands beside it as a conflict copy);
 * - a file gone remotely goes to the trash only if it is unchanged locally;
 * - a same-id rename or move is a local rename (no bytes); a folder move is one rename;
 * - a file deleted locally is downloaded again unless deletes are ignored;
 * - a local file that already equals the remote one (size and time) is adopted, not downloaded
 *   (this is what makes a run killed between "file written" and "manifest written" resume cleanly).
 */
import { splitExtension } from '../localfs/safe-name';
import { assignPaths, baseName, conflictName, foldPath, freeVariant, joinPath, parentPath } from './names';
import type { Action, Fold, LocalEntry, LocalIndex, ManifestEntry, Plan, RemoteEntry } from './types';

export interface PlanInput {
  remote: Map<string, RemoteEntry>;
  /**
   * Records the listing had but could not read (issue 21.2): `ids` by id; `all` when one had no
   * readable id. What they are is unknown, never "deleted": their manifest entries are left as
   * they are (with `all`, no manifest entry is removed or trashed in this run).
   */
  unread?: { ids: ReadonlySet<string>; all: boolean };
  manifest: Map<string, ManifestEntry>;
  local: LocalIndex;
  fold: Fold;
  ignoreLocalDeletes: boolean;
  /** `YYYY-MM-DD`, for conflict copies. */
  day: string;
}

/** Modification times closer than this are the same (FAT keeps 2 s). */
const MTIME_SLACK_MS = 2000;

export function changedLocally(local: LocalEntry, m: ManifestEntry): boolean {
  return local.type !== m.type || local.size !== m.size || Math.abs(local.mtime - m.mtime) > 1;
}

export function changedRemotely(r: RemoteEntry, m: ManifestEntry): boolean {
  if (r.size !== m.rsize || r.mtime !== m.rtime) return true;
  return Boolean(r.hash && m.rhash && r.hash !== m.rhash);
}

/** The local file is already this remote version: size and time, or for generated files (no time) the same bytes. */
export function equalsRemote(local: LocalEntry | undefined, r: RemoteEntry): boolean {
  if (local === undefined || local.type !== 'file') return false;
  if (r.mtime === null) return Boolean(r.hash) && local.hash === r.hash;
  return local.size === r.size && Math.abs(local.mtime - r.mtime) < MTIME_SLACK_MS;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `path` is a conflict copy of `target` in its folder (`a (kDrive conflict D).txt`, maybe numbered). */
export function isConflictCopyOf(path: string, target: string): boolean {
  if (parentPath(path) !== parentPath(target)) return false;
  const { stem, ext } = splitExtension(baseName(target));
  const pattern = `^${escapeRegExp(stem)} \\(kDrive conflict \\d{4}-\\d{2}-\\d{2}\\)(?: \\(\\d+\\))?${escapeRegExp(ext)}$`;
  return new RegExp(pattern).test(baseName(path));
}

class Planner {
  readonly actions: Action[] = [];
  readonly targets: Map<string, string>;
  /** Folded local paths that the plan frees (moved away or trashed) or fills (downloads, moves). */
  readonly vacated = new Set<string>();
  readonly filled = new Set<string>();
  /** id → where the manifest path is after planned folder moves. */
  readonly current = new Map<string, string>();

  constructor(readonly input: PlanInput) {
    this.targets = assignPaths(input.remote, input.manifest, input.fold);
    for (const m of input.manifest.values()) this.current.set(m.id, m.path);
    for (const path of this.targets.values()) this.filled.add(this.key(path));
  }

  key(path: string): string {
    return foldPath(this.input.fold, path);
  }

  local(path: string): LocalEntry | undefined {
    return this.input.local.get(path);
  }

  /** Is a path free for a new file (not on disk, or on disk but leaving, and not planned for another)? */
  occupied(path: string): boolean {
    const k = this.key(path);
    return this.local(path) !== undefined && !this.vacated.has(k);
  }

  conflictPath(path: string): string {
    const wanted = joinPath(parentPath(path), conflictName(baseName(path), this.input.day));
    const taken = (p: string): boolean => this.filled.has(this.key(p)) || this.local(p) !== undefined;
    const chosen = freeVariant(wanted, taken);
    this.filled.add(this.key(chosen));
    return chosen;
  }

  removed(): void {
    const { remote, manifest } = this.input;
    const dirs: ManifestEntry[] = [];
    for (const m of manifest.values()) {
      if (remote.has(m.id) && this.targets.has(m.id)) continue;
      if (this.unread(m.id)) continue;
      if (m.type === 'dir') {
        dirs.push(m);
        continue;
      }
      const local = this.local(m.path);
      if (!local) this.actions.push({ kind: 'forget', id: m.id, path: m.path, kept: false });
      else if (local.type === 'file' && !changedLocally(local, m)) {
        this.actions.push({ kind: 'trash', id: m.id, path: m.path });
        this.vacated.add(this.key(m.path));
      } else this.actions.push({ kind: 'forget', id: m.id, path: m.path, kept: true });
    }
    this.removedDirs = dirs.sort((a, b) => b.path.length - a.path.length);
  }

  removedDirs: ManifestEntry[] = [];

  /**
   * A record the listing could not read, or anything below a folder it could not read (that folder
   * was not walked): left as it is (never trashed, moved or rewritten).
   */
  unread(id: string): boolean {
    const u = this.input.unread;
    if (u === undefined) return false;
    if (u.ids.has(id) || (u.all && !this.input.remote.has(id))) return true;
    const path = this.input.manifest.get(id)?.path;
    return path !== undefined && this.unreadFolders.some((dir) => path.startsWith(`${dir}/`));
  }

  /** Manifest paths of the folders the listing could not read. */
  get unreadFolders(): string[] {
    if (this.#unreadFolders) return this.#unreadFolders;
    const ids = this.input.unread?.ids ?? new Set<string>();
    this.#unreadFolders = [...ids].flatMap((id) => {
      const m = this.input.manifest.get(id);
      return m?.type === 'dir' ? [m.path] : [];
    });
    return this.#unreadFolders;
  }

  #unreadFolders: string[] | null = null;

  moveDirs(): void {
    const { remote, manifest } = this.input;
    const moving = [...manifest.values()]
      .filter((m) => m.type === 'dir' && remote.get(m.id)?.type === 'dir' && this.targets.has(m.id))
      .sort((a, b) => this.targets.get(a.id)!.length - this.targets.get(b.id)!.length);
    for (const m of moving) {
      const from = this.current.get(m.id)!;
      const to = this.targets.get(m.id)!;
      if (from === to) continue;
      const local = this.local(m.path);
      if (!local || local.type !== 'dir' || (this.occupied(to) && this.key(to) !== this.key(from))) continue;
      this.actions.push({ kind: 'moveDir', id: m.id, from, to });
      this.vacated.add(this.key(m.path));
      const prefix = `${from}/`;
      for (const [id, path] of this.current) {
        if (path === from) this.current.set(id, to);
        else if (path.startsWith(prefix)) this.current.set(id, to + path.slice(from.length));
      }
    }
  }

  mkdirs(): void {
    const dirs = [...this.input.remote.values()]
      .filter((r) => r.type === 'dir' && this.targets.has(r.id) && !this.unread(r.id))
      .map((r) => ({ id: r.id, path: this.targets.get(r.id)! }))
      .sort((a, b) => a.path.length - b.path.length);
    for (const d of dirs) {
      const m = this.input.manifest.get(d.id);
      if (m && this.current.get(d.id) === d.path && this.local(m.path)?.type === 'dir') continue;
      if (m && this.actions.some((a) => a.kind === 'moveDir' && a.id === d.id)) continue;
      this.actions.push({ kind: 'mkdir', id: d.id, path: d.path });
    }
  }

  files(): void {
    // Paths left by moving files are free for others (a swap of two names is two moves).
    for (const r of this.input.remote.values()) {
      const m = this.input.manifest.get(r.id);
      const target = this.targets.get(r.id);
      if (r.type !== 'file' || !m || target === undefined || !this.local(m.path)) continue;
      if ((this.current.get(r.id) ?? m.path) !== this.wanted(m, target)) this.vacated.add(this.key(m.path));
    }
    for (const r of this.input.remote.values()) {
      // A file whose records could not all be read stays as it is (a first one is written: nothing to lose).
      if (r.type !== 'file' || (this.unread(r.id) && this.input.manifest.has(r.id))) continue;
      const target = this.targets.get(r.id);
      if (target === undefined) continue;
      const m = this.input.manifest.get(r.id);
      if (m && m.type === 'file') this.known(r, m, target);
      else this.fresh(r, target, 'new');
    }
  }

  /**
   * Where a known file goes: its target; but a conflict copy stays a conflict copy while its name
   * is held by another file here (25.7): moving it to another numbered name on every run is what
   * must never happen.
   */
  wanted(m: ManifestEntry, target: string): string {
    const path = this.current.get(m.id) ?? m.path;
    return path !== target && this.occupied(target) && isConflictCopyOf(path, target) ? path : target;
  }

  known(r: RemoteEntry, m: ManifestEntry, assigned: string): void {
    const target = this.wanted(m, assigned);
    const local = this.local(m.path);
    if (!local) {
      if (this.input.ignoreLocalDeletes) return;
      this.fresh(r, target, 'restore');
      return;
    }
    let path = this.current.get(r.id) ?? m.path;
    if (path !== target) {
      const to = this.occupied(target) && this.key(target) !== this.key(path) ? this.conflictPath(target) : target;
      this.actions.push({ kind: 'move', id: r.id, from: path, to });
      this.vacated.add(this.key(m.path));
      path = to;
    }
    if (!changedRemotely(r, m)) return;
    // A generated file whose new bytes are already there is adopted, never written again.
    if (!changedLocally(local, m))
      this.actions.push({ kind: r.mtime === null && equalsRemote(local, r) ? 'adopt' : 'update', id: r.id, path });
    else if (equalsRemote(local, r)) this.actions.push({ kind: 'adopt', id: r.id, path });
    else this.actions.push({ kind: 'conflict', id: r.id, path, to: this.conflictPath(path), tracked: true });
  }

  fresh(r: RemoteEntry, target: string, reason: 'new' | 'restore'): void {
    const there = this.occupied(target) ? this.local(target) : undefined;
    if (!there) this.actions.push({ kind: 'download', id: r.id, path: target, reason });
    else if (equalsRemote(there, r)) this.actions.push({ kind: 'adopt', id: r.id, path: target });
    else {
      // A conflict copy of this very version already there (a run killed before recording it): adopted.
      const copy = this.existingCopy(r, target);
      if (copy !== null) this.actions.push({ kind: 'adopt', id: r.id, path: copy });
      else
        this.actions.push({ kind: 'conflict', id: r.id, path: target, to: this.conflictPath(target), tracked: false });
    }
  }

  /** A conflict copy of `target` (today's name or a numbered one) that already equals `r` and no one else's. */
  existingCopy(r: RemoteEntry, target: string): string | null {
    const wanted = joinPath(parentPath(target), conflictName(baseName(target), this.input.day));
    let found: string | null = null;
    freeVariant(wanted, (p) => {
      const local = this.local(p);
      if (found === null && local && !this.filled.has(this.key(p)) && equalsRemote(local, r)) found = p;
      return local !== undefined && found === null;
    });
    if (found !== null) this.filled.add(this.key(found));
    return found;
  }

  rmdirs(): void {
    for (const m of this.removedDirs) {
      this.actions.push({ kind: 'rmdir', id: m.id, path: this.current.get(m.id) ?? m.path });
    }
  }
}

/** Plans one run. Order of the actions = order of execution. */
export function plan(input: PlanInput): Plan {
  const p = new Planner(input);
  p.removed();
  p.moveDirs();
  p.mkdirs();
  p.files();
  p.rmdirs();
  const movedPaths = new Map<string, string>();
  for (const [id, path] of p.current) if (input.manifest.get(id)?.path !== path) movedPaths.set(id, path);
  return { actions: order(p.actions), movedPaths };
}

const RANK: Record<Action['kind'], number> = {
  trash: 0,
  forget: 0,
  moveDir: 1,
  mkdir: 2,
  move: 3,
  adopt: 4,
  update: 5,
  download: 5,
  conflict: 5,
  rmdir: 6,
};

function order(actions: Action[]): Action[] {
  return actions
    .map((a, i) => ({ a, i }))
    .sort((x, y) => RANK[x.a.kind] - RANK[y.a.kind] || x.i - y.i)
    .map((x) => x.a);
}
