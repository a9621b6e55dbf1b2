/**
 * Generated files (`.ics`/`.vcf`) have no remote time: they are compared by content. The hash of
 * their bytes is the one `sources/generated-subtree.ts` gives each entry; before a run plans, the
 * local files that could be such an entry (same size) get the same hash, so bytes already on disk
 * are adopted instead of written again (or copied beside as a conflict) (issue 21.4).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentHash } from '../sources/generated-subtree';
import type { LocalEntry, RemoteEntry } from './types';

/** Larger local files are never read for this (a generated file is a calendar or an address book). */
const MAX_HASHED_BYTES = 64 * 1024 * 1024;

/** Whether an entry is told by its content only (no remote time, a hash). */
export function generatedEntry(r: RemoteEntry): boolean {
  return r.mtime === null && typeof r.hash === 'string' && r.hash !== '';
}

/** Sets `hash` on the local files whose size is that of a generated remote entry. */
export async function hashLocalCandidates(
  root: string,
  local: Iterable<LocalEntry>,
  remote: ReadonlyMap<string, RemoteEntry>,
): Promise<void> {
  const sizes = new Set<number>();
  for (const r of remote.values()) if (generatedEntry(r) && r.size <= MAX_HASHED_BYTES) sizes.add(r.size);
  if (sizes.size === 0) return;
  for (const e of local) {
    if (e.type !== 'file' || !sizes.has(e.size)) continue;
    const bytes = await readFile(join(root, ...e.path.split('/'))).catch(() => null);
    if (bytes && bytes.byteLength === e.size) e.hash = contentHash(bytes);
  }
}
