/**
 * What a plan's downloads will cost in requests to Infomaniak (the Preview says it: every request
 * spends the token's 60 a minute). One per file unless the source says more (`requestsFor`: a mail
 * message that must be assembled also fetches its attachments); a first run of many small new
 * kDrive files comes as one archive (create + download), as the executor decides
 * (`worthArchive`, executor.ts). Listings are not counted: the Preview has just spent them.
 */
import { worthArchive } from '../localfs/archive-fetch';
import type { Subtree } from '../sources/types';
import type { Plan, RemoteEntry } from './types';

/** Requests of the archive route: one to create the archive, one to download it. */
const ARCHIVE_REQUESTS = 2;

export function estimateRequests(plan: Plan, remote: Map<string, RemoteEntry>, source: Subtree): number {
  const fetches = plan.actions.filter((a) => a.kind === 'download' || a.kind === 'update' || a.kind === 'conflict');
  const fresh = fetches.filter((a) => a.kind === 'download' && a.reason === 'new');
  const freshBytes = fresh.reduce((n, a) => n + (remote.get(a.id)?.size ?? 0), 0);
  const archived = source.archive !== undefined && worthArchive(fresh.length, freshBytes);
  let requests = archived ? ARCHIVE_REQUESTS : 0;
  for (const a of fetches) {
    if (archived && a.kind === 'download' && a.reason === 'new') continue;
    const entry = remote.get(a.id);
    requests += entry && source.requestsFor ? source.requestsFor(entry) : 1;
  }
  return requests;
}
