/**
 * Writes one download job (a file, a generated .ics/.vcf/.eml, or a folder walk) into a private
 * work folder with the transfer engine's writer: safe names for every OS, `.part` + sidecar,
 * resume from an earlier part, size/hash verification, never over an existing file.
 *
 * Limits are checked as the job goes: a folder with too many files or a total over the byte bound
 * stops with `TooLargeToStage` (the UI then offers "Save to…").
 */
import { mkdir, rm } from 'node:fs/promises';
import { companionNames, writeItem } from '../localfs/file-writer';
import type { WriteOptions } from '../localfs/file-writer';
import { inside, mkdirInside, resolveTarget, sizeOf, targetOf } from '../localfs/paths';
import { FolderNames, assertInside } from '../localfs/safe-name';
import type { DownloadJob } from '../transfers/types';
import { isFileItem } from '../localfs/types';

export class TooLargeToStage extends Error {
  constructor() {
    super('Too large to stage for dragging.');
    this.name = 'TooLargeToStage';
  }
}

export interface StageLimits {
  maxBytes: number;
  maxFiles: number;
}

export interface StageOptions {
  limits: StageLimits;
  signal: AbortSignal;
  /** Bytes written so far of the total (when known). */
  onProgress?: (bytesDone: number, bytesTotal: number | null) => void;
  writer?: Pick<WriteOptions, 'maxAttempts' | 'retryDelayMs'>;
  log?: (line: string) => void;
}

export interface StageResult {
  /** Top-level names written in the work folder, in order (what a drag hands over). */
  names: string[];
  bytes: number;
}

/** Safe, collision-free names below the work folder, the same ones on every run of the same job. */
class StageLayout {
  #dir: string;
  #folders = new Map<string, FolderNames>();
  #written = new Map<string, string[]>();
  readonly top: string[] = [];

  constructor(dir: string) {
    this.#dir = dir;
  }

  #names(parent: string[]): FolderNames {
    const key = parent.join('/');
    let names = this.#folders.get(key);
    if (!names) {
      names = new FolderNames(key);
      this.#folders.set(key, names);
    }
    return names;
  }

  #note(path: string[]): void {
    const first = path[0];
    if (path.length > 0 && first !== undefined && !this.top.includes(first)) this.top.push(first);
  }

  async dir(raw: readonly string[]): Promise<string[]> {
    if (raw.length === 0) return [];
    const key = raw.join('\u0000');
    const known = this.#written.get(key);
    if (known) return known;
    const parent = await this.dir(raw.slice(0, -1));
    const path = [...parent, this.#names(parent).allocate(raw[raw.length - 1] ?? '').name];
    await mkdirInside(inside(this.#dir, path.join('/')));
    this.#written.set(key, path);
    this.#note(path);
    return path;
  }

  async file(raw: readonly string[]): Promise<string> {
    const parent = await this.dir(raw.slice(0, -1));
    const name = this.#names(parent).allocate(raw[raw.length - 1] ?? '', { companions: companionNames }).name;
    const path = [...parent, name];
    this.#note(path);
    return assertInside(this.#dir, path);
  }
}

export async function stageJob(job: DownloadJob, dir: string, options: StageOptions): Promise<StageResult> {
  const { limits, signal } = options;
  await mkdir(dir, { recursive: true });
  const layout = new StageLayout(dir);
  let files = 0;
  let bytes = 0;
  let announced = 0;
  const total = (): number | null => ((job.bytesTotal ?? null) === null ? null : Math.max(job.bytesTotal ?? 0, bytes));
  if ((job.bytesTotal ?? 0) > limits.maxBytes || (job.filesTotal ?? 0) > limits.maxFiles) throw new TooLargeToStage();

  for await (const item of job.items) {
    if (signal.aborted) throw signal.reason ?? new Error('aborted');
    if (!isFileItem(item)) {
      await layout.dir(item.segments);
      continue;
    }
    files += 1;
    announced += item.size ?? 0;
    if (files > limits.maxFiles || announced > limits.maxBytes) throw new TooLargeToStage();
    const abs = await layout.file(item.segments);
    const existing = await sizeOf(abs);
    if (existing !== null && item.size !== null && existing === item.size) {
      bytes += existing; // written by an earlier, interrupted staging of the same job
      options.onProgress?.(bytes, total());
      continue;
    }
    if (existing !== null) await rm(await resolveTarget(targetOf(dir, abs)), { force: true });
    const watch = new AbortController();
    const stop = () => watch.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    let tooLarge = false;
    try {
      const result = await writeItem(item, targetOf(dir, abs), {
        ...options.writer,
        signal: watch.signal,
        ...(options.log ? { log: options.log } : {}),
        events: {
          progress: (delta) => {
            bytes += delta;
            if (bytes > limits.maxBytes && !tooLarge) {
              tooLarge = true;
              watch.abort();
            }
            options.onProgress?.(bytes, total());
          },
        },
      });
      if (result.path !== abs) throw new Error('staging folder changed underneath');
    } catch (error) {
      if (tooLarge) throw new TooLargeToStage();
      throw error;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }
  return { names: [...layout.top], bytes };
}
