/**
 * The one reader of a state file the app wrote itself and reads back (last-run.json, feeds.json,
 * remote.json, …): parsed through its zod schema, so a file that is damaged, cut off or in another
 * version's shape is treated as absent, with one log line naming the file and why. Never throws for
 * the file's content (a missing file is simply absent, silently). Files with records worth keeping
 * one by one (transfers.json, the manifest) or that are moved aside (settings, pairs.json) have
 * their own loaders; this is for the rest.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { z } from 'zod';

export async function readBack<S extends z.ZodTypeAny>(
  path: string,
  schema: S,
  log: (line: string) => void,
): Promise<z.output<S> | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') log(`${basename(path)}: could not be read (${code ?? 'error'}); ignored`);
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    log(`${basename(path)}: not JSON (${text.length} bytes); ignored, as if it were absent`);
    return null;
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.output<S>;
  const first = parsed.error.issues[0];
  const where = first ? `${first.path.join('.') || '(top)'}: ${first.message}` : 'unexpected shape';
  log(`${basename(path)}: not in the expected shape (${where}); ignored, as if it were absent`);
  return null;
}
