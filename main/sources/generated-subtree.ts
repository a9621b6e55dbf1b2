/**
 * A calendar or an address book as sync needs it (`SourceAdapter.subtree`): `.ics`/`.vcf` files
 * generated from the PIM JSON, either one file per collection or a vdir (one file per event or
 * contact, named by its UID: the layout khal, khard and vdirsyncer read). Generated files have no
 * remote time: a change is told by the content hash.
 */
import { createHash } from 'node:crypto';
import type { RemoteEntry, RemoteListing, Subtree, Unread } from './types';

const encoder = new TextEncoder();

/** One generated file: its key (stable across runs), name and text. */
export interface GeneratedFile {
  id: string;
  name: string;
  text: string;
}

/** A vdir file name from a UID: only characters every file system keeps. */
export function uidFileName(uid: string, ext: '.ics' | '.vcf'): string {
  const safe = uid.replace(/[^A-Za-z0-9@._+-]/g, '_').slice(0, 200) || '_';
  return `${safe}${ext}`;
}

/** The hash of a generated file's bytes (sync compares local files with it: sync/content-hash.ts). */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What `make` generates: the files, and the keys of files whose records could not all be read. */
export interface Generated {
  files: GeneratedFile[];
  unread?: Unread | undefined;
}

/**
 * The files `make` generates (asked at each `list`), as a subtree of files without folders. A
 * file listed in `unread` (a record that did not decode: its own file, or the collection's one
 * file that would miss it) is left as it is by sync, never rewritten without it or trashed.
 */
export function generatedSubtree(make: (signal: AbortSignal) => Promise<GeneratedFile[] | Generated>): Subtree {
  const bytes = new Map<string, Uint8Array>();
  return {
    list: async (signal) => {
      const entries: RemoteListing = new Map<string, RemoteEntry>();
      bytes.clear();
      const made = await make(signal);
      const files = Array.isArray(made) ? made : made.files;
      if (!Array.isArray(made) && made.unread && (made.unread.all || made.unread.ids.size > 0)) {
        entries.unread = made.unread;
      }
      for (const f of files) {
        if (entries.has(f.id)) continue; // a recurring event may come once per occurrence
        const data = encoder.encode(f.text);
        bytes.set(f.id, data);
        const hash = contentHash(data);
        entries.set(f.id, {
          id: f.id,
          parent: null,
          name: f.name,
          type: 'file',
          size: data.byteLength,
          mtime: null,
          hash,
        });
      }
      return entries;
    },
    itemFor: (e) => ({ segments: [e.name], size: e.size, content: async () => bytes.get(e.id) ?? new Uint8Array() }),
  };
}
