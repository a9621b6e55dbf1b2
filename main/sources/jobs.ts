/** Small pieces of the download jobs the adapters build. */
import type { DownloadItem } from '../localfs/types';
import type { DownloadJob } from '../transfers/types';

/** An async iterable of one item (a job of one file). */
export async function* once<T>(item: T): AsyncIterable<T> {
  yield item;
}

const encoder = new TextEncoder();

/** A job for content generated in main (.ics, .vcf). */
export function exportJob(fileName: string, make: () => Promise<string>): DownloadJob {
  const item: DownloadItem = { segments: [fileName], size: null, content: async () => encoder.encode(await make()) };
  return { name: fileName, kind: 'export', items: once(item), filesTotal: 1, bytesTotal: null };
}
