import { appErrorFrom } from '../../shared/model/errors';
import type { DownloadJob } from '../transfers/types';
import type { DownloadItem } from '../localfs/types';

/** True for errors where trying another host makes sense (not for a refused token or scope). */
export function worthFallback(error: unknown): boolean {
  const code = appErrorFrom(error).code;
  return (
    code === 'network' ||
    code === 'not_found' ||
    code === 'timeout' ||
    code === 'api_error' ||
    code === 'unsafe_redirect'
  );
}

export async function* once<T>(item: T): AsyncIterable<T> {
  yield item;
}

const encoder = new TextEncoder();

/** A job for content generated in main (.ics, .vcf). */
export function exportJob(fileName: string, make: () => Promise<string>): DownloadJob {
  const item: DownloadItem = { segments: [fileName], size: null, content: async () => encoder.encode(await make()) };
  return { name: fileName, kind: 'export', items: once(item), filesTotal: 1, bytesTotal: null };
}
