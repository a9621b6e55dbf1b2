/**
 * The app's own Infomaniak client, built the way main/app.ts builds it (endpoints and extra CA from
 * the environment the simulator prints, 8 requests in flight, one shared download thread), plus
 * helpers to find kDrive items by path and to time things.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInfomaniakClient } from '../../main/infomaniak/client';
import type { InfomaniakClient } from '../../main/infomaniak/client';
import { DirectWorker } from '../../main/infomaniak/direct-wire';
import { readExtraCa, resolveEndpoints } from '../../main/infomaniak/endpoints';
import type { PacerOptions } from '../../main/infomaniak/pacer';

/** The same options as the composition root (main/app.ts) passes, minus logging; `rateLimit` scales the budget. */
export function appClient(
  env: Record<string, string | undefined>,
  token: string,
  rateLimit?: PacerOptions,
): InfomaniakClient {
  const { endpoints } = resolveEndpoints(env);
  const ca = readExtraCa(env, (path) => readFileSync(path, 'utf8'));
  return createInfomaniakClient({
    token,
    endpoints,
    ca,
    maxConcurrent: 8,
    downloadWorker: downloadWorker(),
    ...(rateLimit ? { rateLimit } : {}),
  });
}

let shared: DirectWorker | null = null;
/**
 * The process's download thread, as main/app.ts has one: started with the first client (the app
 * starts it with the app), shared by all, never stopped (it does not keep the process alive).
 */
function downloadWorker(): DirectWorker {
  if (!shared) {
    shared = new DirectWorker();
    void shared.ready();
  }
  return shared;
}

/** Milliseconds taken by `fn` (perf_hooks clock). */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

interface Listed {
  id: number;
  name: string;
  type: string;
  size?: number;
}

/** Children of a kDrive folder, all cursor pages (v3 listing). */
export async function listAll(client: InfomaniakClient, driveId: number, folderId: number): Promise<Listed[]> {
  const out: Listed[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < 1000; page++) {
    const answer = await client.get<Listed[]>('api', `/3/drive/${driveId}/files/${folderId}/files`, {
      searchParams: { limit: 1000, cursor: cursor ?? undefined },
    });
    out.push(...answer.data);
    cursor = answer.cursor;
    if (!answer.hasMore || !cursor) break;
  }
  return out;
}

/** The item at `path` ("/Common documents/Bench/big-1GiB.bin") below the drive's root folder (id 1). */
export async function findByPath(client: InfomaniakClient, driveId: number, path: string): Promise<Listed> {
  let folderId = 1;
  let found: Listed | undefined;
  for (const name of path.split('/').filter(Boolean)) {
    const children = await listAll(client, driveId, folderId);
    found = children.find((c) => c.name === name);
    if (!found) throw new Error(`"${name}" not found in drive ${driveId} (looking for ${path})`);
    folderId = found.id;
  }
  if (!found) throw new Error(`empty path`);
  return found;
}

export interface ColdWarm {
  cold: number[];
  warm: number[];
}

/**
 * Times `call` twice on a fresh client: first cold (new TLS connections), then warm (connections
 * open), and appends both durations to `into`.
 */
export async function measureColdWarm(
  env: Record<string, string | undefined>,
  token: string,
  into: ColdWarm,
  call: (client: InfomaniakClient) => Promise<void>,
): Promise<void> {
  const client = appClient(env, token);
  try {
    into.cold.push((await timed(() => call(client))).ms);
    into.warm.push((await timed(() => call(client))).ms);
  } finally {
    await client.close();
  }
}

/** A file of the scale scenario's `/Common documents/Bench` folder: its id, size and folder id. */
export async function benchFile(
  env: Record<string, string | undefined>,
  token: string,
  driveId: number,
  name: string,
): Promise<{ fileId: number; size: number; folderId: number }> {
  const client = appClient(env, token);
  try {
    const folder = await findByPath(client, driveId, '/Common documents/Bench');
    const file = (await listAll(client, driveId, folder.id)).find((f) => f.name === name);
    if (!file?.size) throw new Error(`${name} not found in /Common documents/Bench`);
    return { fileId: file.id, size: file.size, folderId: folder.id };
  } finally {
    await client.close();
  }
}
