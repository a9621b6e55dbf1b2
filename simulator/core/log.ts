/** The request log tests read: one entry per request, per origin. */
export type Origin = 'api' | 'calendar' | 'contacts' | 'mail' | 'storage' | 'notify';

export interface LogEntry {
  origin: Origin;
  method: string;
  /** Path with query string. */
  path: string;
  /** 0 until the response head is written. */
  status: number;
  /** Whether an Authorization header arrived. */
  authorization: boolean;
  /** Epoch ms at arrival. */
  at: number;
  /** The matched route key ("GET /2/drive"), or "unmatched". */
  route: string;
}

/** The log keeps the most recent entries only, so a long bench or demo session stays small. */
const MAX_ENTRIES = 100_000;

export class RequestLog {
  private list: LogEntry[] = [];

  add(entry: LogEntry): LogEntry {
    this.list.push(entry);
    if (this.list.length > MAX_ENTRIES) this.list.splice(0, this.list.length - MAX_ENTRIES + 10_000);
    return entry;
  }

  entries(): LogEntry[] {
    return this.list.map((e) => ({ ...e }));
  }

  reset(): void {
    this.list = [];
  }
}
