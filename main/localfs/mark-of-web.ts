/**
 * Mark-of-the-Web for downloaded files, where the OS has one (issue 8.16), so the OS treats them
 * as coming from the Internet (SmartScreen, Office's Protected View, Gatekeeper):
 * - Windows: the NTFS alternate data stream `<file>:Zone.Identifier`, `ZoneId=3` (Internet) and
 *   the origin the file was requested from as `ReferrerUrl` / `HostUrl`;
 * - macOS: the `com.apple.quarantine` extended attribute (`0081;<hex seconds>;PowerOn Sources;<uuid>`).
 *   Node has no xattr API: `/usr/bin/xattr -w` runs through execFile with an argument array (never
 *   a shell); where it is missing, marking is skipped;
 * - Linux and the rest: the OS has no such mark; nothing is written.
 * Only an origin is ever written (scheme, host, port): never a path, query, signed URL or token.
 * Marking never fails a download: a failure is logged and the file is kept.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';

export type MarkResult = 'zone-identifier' | 'quarantine' | 'unsupported' | 'failed';

export interface MarkDeps {
  /** `process.platform` in the app; tests pass each. */
  platform: string;
  writeFile(path: string, data: string): Promise<void>;
  execFile(file: string, args: string[]): Promise<void>;
  now(): number;
  uuid(): string;
}

export const XATTR = '/usr/bin/xattr';
export const QUARANTINE_ATTRIBUTE = 'com.apple.quarantine';
/** The agent name macOS shows ("… downloaded by PowerOn Sources"). */
export const QUARANTINE_AGENT = 'PowerOn Sources';

/** The origin of an http(s) URL (`https://host:port`), or undefined: never a path, query or credentials. */
export function originOnly(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The content of the `Zone.Identifier` stream: Internet zone, plus the origin when known. */
export function zoneIdentifier(origin: string | undefined): string {
  const lines = ['[ZoneTransfer]', 'ZoneId=3'];
  const safe = originOnly(origin);
  if (safe) lines.push(`ReferrerUrl=${safe}`, `HostUrl=${safe}`);
  return `${lines.join('\r\n')}\r\n`;
}

/** The value of `com.apple.quarantine`: flags 0081, the time in hex seconds, the agent, an event id. */
export function quarantineValue(nowMs: number, uuid: string): string {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0');
  return `0081;${seconds};${QUARANTINE_AGENT};${uuid.toUpperCase()}`;
}

export const systemMarkDeps: MarkDeps = {
  platform: process.platform,
  writeFile: (path, data) => writeFile(path, data, 'utf8'),
  execFile: (file, args) =>
    new Promise((resolve, reject) => {
      execFile(file, args, { timeout: 10_000, windowsHide: true }, (error) => (error ? reject(error) : resolve()));
    }),
  now: () => Date.now(),
  uuid: () => randomUUID(),
};

/**
 * Marks the file at `path` (absolute) as downloaded from `origin`. Never throws: a failure is logged
 * (`log`) and reported as `failed`; an OS without a mark gives `unsupported`.
 */
export async function markDownloaded(
  path: string,
  source: { origin?: string | undefined; log?: ((line: string) => void) | undefined },
  deps: MarkDeps = systemMarkDeps,
): Promise<MarkResult> {
  try {
    if (deps.platform === 'win32') {
      await deps.writeFile(`${path}:Zone.Identifier`, zoneIdentifier(source.origin));
      return 'zone-identifier';
    }
    if (deps.platform === 'darwin') {
      // A relative name could start with "-" and be read as an option.
      if (!isAbsolute(path)) throw new Error('not an absolute path');
      await deps.execFile(XATTR, ['-w', QUARANTINE_ATTRIBUTE, quarantineValue(deps.now(), deps.uuid()), path]);
      return 'quarantine';
    }
    return 'unsupported';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (deps.platform === 'darwin' && code === 'ENOENT') {
      source.log?.(`transfers: ${XATTR} is missing, downloads are not marked as quarantined`);
      return 'unsupported';
    }
    const why = code ?? (error instanceof Error ? error.message : String(error));
    source.log?.(`transfers: the file could not be marked as downloaded (${why}); it is kept unmarked`);
    return 'failed';
  }
}
