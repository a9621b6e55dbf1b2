/** Transfer records: a fresh one, and the copy that crosses the bridge. */
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
