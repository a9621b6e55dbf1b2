/** Transfer records: a fresh one, and the copy that crosses the bridge. */
import type { RenameReason } from '../../shared/model/existing';
import { MAX_RENAMED_SHOWN } from '../../shared/model/transfers';
import type { Transfer } from '../../shared/model/transfers';

export function newTransfer(id: string, name: string, createdAt: number): Transfer {
  return {
    id,
    name,
    kind: 'file',
    items: 1,
    state: 'queued',
    bytesDone: 0,
    bytesTotal: null,
    filesDone: 0,
    filesTotal: null,
    speed: 0,
    etaSeconds: null,
    targetPath: null,
    renamed: [],
    renamedCount: 0,
    keptBoth: 0,
    skipped: 0,
    alreadyThere: 0,
    replaced: 0,
    waitingForDecision: false,
    resumes: 0,
    verified: null,
    route: null,
    waitingUntil: null,
    retryingAt: null,
    createdAt,
  };
}

/** The wire form of a transfer: a copy, so later changes never reach a batch already sent. */
export function snapshot(transfer: Transfer): Transfer {
  return { ...transfer, renamed: transfer.renamed.map((pair) => [...pair] as Transfer['renamed'][number]) };
}

export function clampConcurrency(n: number): number {
  if (!Number.isFinite(n)) return 3;
  return Math.min(16, Math.max(1, Math.floor(n)));
}

/** A name written differently (made safe, or taken: both kept), counted once per pair. False when known. */
export function noteRenamed(t: Transfer, original: string, written: string, reason: RenameReason): boolean {
  if (t.renamed.some(([o, w]) => o === original && w === written)) return false;
  t.renamedCount += 1;
  if (reason === 'exists') t.keptBoth += 1;
  if (t.renamed.length < MAX_RENAMED_SHOWN) t.renamed.push([original, written, reason]);
  return true;
}
