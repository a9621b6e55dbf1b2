/** Test helpers: start a simulator and talk to it over real HTTPS with its CA. */
import { Agent, fetch } from 'undici';
import type { Response } from 'undici';
import { startSimulator } from '../index';
import type { Simulator, StartOptions } from '../index';

export interface Client {
  sim: Simulator;
  agent: Agent;
  /** GET (or other) on an origin; `token` null sends no Authorization header. */
  req(
    origin: keyof Simulator['urls'],
    path: string,
    opts?: { token?: string | null; headers?: Record<string, string>; method?: string; body?: string },
  ): Promise<Response>;
  json<T = Record<string, unknown>>(
    origin: keyof Simulator['urls'],
    path: string,
    opts?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T; res: Response }>;
  fetchUrl(url: string, opts?: { headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

export async function open(
  scenario: StartOptions['scenario'],
  token: string,
  extra: Partial<StartOptions> = {},
): Promise<Client> {
  const sim = await startSimulator({ scenario, quiet: true, ...extra });
  const agent = new Agent({ connect: { ca: sim.caPem }, keepAliveTimeout: 1000 });
  const req: Client['req'] = (origin, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const t = opts.token === undefined ? token : opts.token;
    if (t !== null) headers.authorization = `Bearer ${t}`;
    return fetch(`${sim.urls[origin]}${path}`, {
      dispatcher: agent,
      headers,
      redirect: 'manual',
      method: opts.method ?? 'GET',
      ...(opts.body !== undefined ? { body: opts.body } : {}),
    });
  };
  return {
    sim,
    agent,
    req,
    async json<T>(origin: keyof Simulator['urls'], path: string, opts = {}) {
      const res = await req(origin, path, opts);
      return { status: res.status, body: (await res.json()) as T, res };
    },
    fetchUrl: (url, opts = {}) => fetch(url, { dispatcher: agent, headers: opts.headers ?? {}, redirect: 'manual' }),
    async close() {
      await sim.close();
      await agent.close();
    },
  };
}

export async function bytesOf(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

/** Reads a body until it ends or fails; returns the bytes received and the error, if any. */
export async function readUntilError(res: Response): Promise<{ received: number; error: unknown; chunks: Buffer[] }> {
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of res.body ?? []) {
      const b = Buffer.from(chunk as Uint8Array);
      chunks.push(b);
      received += b.length;
    }
    return { received, error: null, chunks };
  } catch (error) {
    return { received, error, chunks };
  }
}

export interface ApiFile {
  id: number;
  name: string;
  type: 'dir' | 'file';
  size?: number;
  path?: string;
  hash?: string;
  [k: string]: unknown;
}

export interface CursorPage<T = ApiFile> {
  result: string;
  data: T[];
  response_at: number;
  cursor: string | null;
  has_more: boolean;
}

/** Lists a whole folder through the v3 cursor API. */
export async function listAll(c: Client, drive: number, folder: number, query = ''): Promise<ApiFile[]> {
  const out: ApiFile[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}${query ? `&${query}` : ''}`;
    const { status, body } = await c.json<CursorPage>('api', `/3/drive/${drive}/files/${folder}/files?${q}`);
    if (status !== 200) throw new Error(`listing ${drive}/${folder}: ${status} ${JSON.stringify(body)}`);
    out.push(...body.data);
    cursor = body.cursor;
  } while (cursor);
  return out;
}

/** Finds a child by name (v3 listing). */
export async function child(c: Client, drive: number, folder: number, name: string): Promise<ApiFile> {
  const found = (await listAll(c, drive, folder)).find((f) => f.name === name);
  if (!found) throw new Error(`no ${name} in ${drive}/${folder}`);
  return found;
}

/** Resolves "/Common documents/Bench/big-1GiB.bin" by walking listings. */
export async function byPath(c: Client, drive: number, path: string): Promise<ApiFile> {
  let cur: ApiFile = { id: 1, name: '', type: 'dir' };
  for (const part of path.split('/').filter(Boolean)) cur = await child(c, drive, cur.id, part);
  return cur;
}
