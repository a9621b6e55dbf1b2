import type { AppError } from './errors';

export type TransferState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Transfer {
  id: string;
  /** What the user asked for (file, folder, calendar…), for the list. */
  name: string;
  kind: 'file' | 'folder' | 'zip' | 'export';
  state: TransferState;
  bytesDone: number;
  /** Null while unknown (no Content-Length, folder still being listed). */
  bytesTotal: number | null;
  filesDone: number;
  filesTotal: number | null;
  /** Bytes per second, smoothed. */
  speed: number;
  /** Seconds left, when known. */
  etaSeconds: number | null;
  /** Where the result is (file or folder), once known. */
  targetPath: string | null;
  /** Names that had to be changed to be safe on disk: [original, written as]. */
  renamed: Array<[string, string]>;
  /** How many times a dropped connection was resumed. */
  resumes: number;
  error?: AppError;
  createdAt: number;
  finishedAt?: number;
}

export type DownloadMode = 'files' | 'zip';
