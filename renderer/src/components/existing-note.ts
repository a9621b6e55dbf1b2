/**
 * What a transfer's row says about names (issue 13.5), naming the real reason: a name made safe on
 * disk (a hostile or invalid name) is not the same as a name that was taken by a file already there
 * (both kept, skipped or replaced).
 */
import type { Transfer } from '../../../shared/model/transfers';

type T = (key: string, options?: Record<string, unknown>) => string;

const lastSegment = (path: string): string => path.split('/').pop() ?? path;

function renamedNotes(transfer: Transfer, t: T): string[] {
  const count = Math.max(transfer.renamedCount, transfer.renamed.length);
  const kept = Math.min(transfer.keptBoth, count);
  const unsafe = count - kept;
  const firstKept = transfer.renamed.find(([, , why]) => why === 'exists');
  const firstUnsafe = transfer.renamed.find(([, , why]) => why !== 'exists');
  const notes: string[] = [];
  if (kept === 1 && firstKept) notes.push(t('existing.kept', { to: lastSegment(firstKept[1]) }));
  else if (kept > 1) notes.push(t('existing.keptMore', { count: kept }));
  if (unsafe === 1 && firstUnsafe) notes.push(t('transfers.renamed', { from: firstUnsafe[0], to: firstUnsafe[1] }));
  else if (unsafe > 1) notes.push(t('transfers.renamedMore', { count: unsafe }));
  return notes;
}

/** The row's note about names: renamed (and why), already there, skipped, replaced; null when there is nothing to say. */
export function namesNote(transfer: Transfer, t: T): string | null {
  const notes = renamedNotes(transfer, t);
  const same = transfer.alreadyThere;
  if (same === 1) notes.push(t('existing.alreadyThere'));
  else if (same > 1) notes.push(t('existing.alreadyThereMore', { count: same }));
  if (transfer.skipped === 1) notes.push(t('existing.skipped'));
  else if (transfer.skipped > 1) notes.push(t('existing.skippedMore', { count: transfer.skipped }));
  if (transfer.replaced === 1) notes.push(t('existing.replaced'));
  else if (transfer.replaced > 1) notes.push(t('existing.replacedMore', { count: transfer.replaced }));
  return notes.length > 0 ? notes.join(' · ') : null;
}
