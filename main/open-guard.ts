/**
 * Before a file is handed to the OS to open ("Open" on a transfer, issue 8.16): programs and
 * scripts are not opened without a question. The decision is the pure `openRisk()`: a type that
 * runs code (or installs, mounts or links to something that does) when opened on this platform, by
 * its extension (the table in open-guard-types.ts, taken from Chromium's dangerous-file-type policy;
 * trailing dots and spaces, which Windows drops, do not hide it), or on Linux/macOS a file with an
 * executable bit. In Electron the user is asked with a native dialog whose default is Cancel
 * (`Platform.confirmOpen`, main/shell/open-confirm.ts); the browser host has no trustworthy way to
 * ask and refuses with `unsafe_file`.
 */
import { stat } from 'node:fs/promises';
import { AppFailure, failWith } from '../shared/model/errors';
import type { DesktopShell } from './platform';
import { guardPlatform, RISKY_TYPES } from './open-guard-types';

/** The extensions (with the dot) asked about on `platform` (node's `process.platform`): open-guard-types.ts. */
export function riskyExtensions(platform: string): ReadonlySet<string> {
  return RISKY_TYPES[guardPlatform(platform)];
}

export type OpenRisk = 'executable-type' | 'executable-bit' | null;

/** What `openRisk` needs to know of the file (null: it could not be read). */
export interface FileFacts {
  isFile: boolean;
  mode: number;
}

/** The file's name as the OS sees it: the last segment; Windows drops trailing dots and spaces. */
function effectiveName(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? '';
  return name.replace(/[. ]+$/, '').toLowerCase();
}

export function openRisk(path: string, facts: FileFacts | null, platform: string): OpenRisk {
  const name = effectiveName(path);
  const dot = name.lastIndexOf('.');
  if (dot > 0 && riskyExtensions(platform).has(name.slice(dot))) return 'executable-type';
  if (platform !== 'win32' && facts?.isFile && (facts.mode & 0o111) !== 0) return 'executable-bit';
  return null;
}

export async function fileFacts(path: string): Promise<FileFacts | null> {
  try {
    const s = await stat(path);
    return { isFile: s.isFile(), mode: s.mode };
  } catch {
    return null;
  }
}

export interface OpenGuardDeps {
  platform: string;
  facts?: (path: string) => Promise<FileFacts | null>;
  /** Electron: asks the user (default Cancel); true opens. Absent (browser host): such files are refused. */
  confirm?: (path: string) => Promise<boolean>;
  log?: (line: string) => void;
}

/** `openPath` that asks before (or refuses) opening programs and scripts. */
export function guardOpenPath(
  openPath: (path: string) => Promise<void>,
  deps: OpenGuardDeps,
): (path: string) => Promise<void> {
  const facts = deps.facts ?? fileFacts;
  return async (path) => {
    const risk = openRisk(path, await facts(path), deps.platform);
    if (risk) {
      const name = path.split(/[\\/]/).pop() ?? path;
      if (!deps.confirm) {
        deps.log?.(`open: refused a file that can run code (${risk})`);
        throw new AppFailure(
          'unsafe_file',
          `"${name}" can run programs or change settings when opened, so it is not opened from here. If you trust it, open it yourself from its folder (Show in folder).`,
          undefined,
          { params: { name } },
        );
      }
      if (!(await deps.confirm(path))) throw failWith('cancelled', 'not_opened', `"${name}" was not opened.`, { name });
      deps.log?.(`open: the user confirmed opening a program or script (${risk})`);
    }
    await openPath(path);
  };
}

/** The shell with its `openPath` guarded (the composition root hands this to transfers and sync). */
export function guardShell<S extends DesktopShell>(shell: S, deps: OpenGuardDeps): S {
  return { ...shell, openPath: guardOpenPath((path) => shell.openPath(path), deps) };
}
