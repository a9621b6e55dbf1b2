/**
 * The browser host's Platform: plain Node, a profile folder of its own, the host's file vault,
 * and no native dialogs or drag-out.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { confStoreFactory } from '../settings/conf-store';
import { createHostFileCipher } from '../connections/host-cipher';
import type { Platform } from '../platform';
import { EXTERNAL_PAGES } from '../../shared/model/external-pages';
import { SYNC_NOW_LOG, syncNowLog } from '../sync/sync-now';

export interface HostArgs {
  port: number;
  dataDir: string;
  downloadsDir: string;
  lang: 'en' | 'de' | null;
  demo: boolean;
  rendererDir: string;
  /** Extra log file (tests read it). */
  logFile: string | null;
  quiet: boolean;
  /** Sync every pair that is not paused, print one line and exit 0/1/2 (no server, no renderer). */
  syncNow: boolean;
  /** With --sync-now: the log also on stderr (it always goes to the log file). */
  verbose: boolean;
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function parseHostArgs(argv: string[], env: Record<string, string | undefined>): HostArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'downloads-dir': { type: 'string' },
      lang: { type: 'string' },
      demo: { type: 'boolean' },
      'renderer-dir': { type: 'string' },
      'log-file': { type: 'string' },
      quiet: { type: 'boolean' },
      'sync-now': { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
    strict: true,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a number from 0 to 65535, got "${values.port}".`);
  const lang = values.lang ?? null;
  if (lang !== null && lang !== 'en' && lang !== 'de') throw new Error(`--lang must be "en" or "de", got "${lang}".`);
  const home = homedir() || tmpdir();
  const configHome = env.XDG_CONFIG_HOME || join(home, '.config');
  return {
    port,
    dataDir: resolve(values['data-dir'] ?? join(configHome, 'poweron-sources-host')),
    downloadsDir: resolve(values['downloads-dir'] ?? join(home, 'Downloads')),
    lang,
    demo: values.demo ?? false,
    rendererDir: resolve(values['renderer-dir'] ?? join(projectRoot, 'out', 'renderer')),
    logFile: values['log-file'] ? resolve(values['log-file']) : null,
    quiet: values.quiet ?? false,
    syncNow: values['sync-now'] ?? false,
    verbose: values.verbose ?? false,
  };
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function openWith(target: string): Promise<void> {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  return new Promise((resolvePromise) => {
    try {
      const child = spawn(command, [target], { detached: true, stdio: 'ignore' });
      child.on('error', () => resolvePromise());
      child.unref();
      resolvePromise();
    } catch {
      resolvePromise();
    }
  });
}

const stderrLine = (line: string): void => void process.stderr.write(`${line}\n`);

export function createHostPlatform(args: HostArgs): Platform {
  mkdirSync(args.dataDir, { recursive: true });
  // --sync-now serves no page: it needs no built renderer (npm run host skips the build for it).
  if (!args.syncNow && !existsSync(join(args.rendererDir, 'index.html'))) {
    throw new Error(
      `The built renderer is missing in ${args.rendererDir}. Run "npm run build" first (npm run host does it for you).`,
    );
  }
  const log = args.syncNow
    ? syncNowLog(args.logFile ?? join(args.dataDir, SYNC_NOW_LOG), args.verbose ? stderrLine : undefined)
    : (line: string) => {
        const stamped = `${new Date().toISOString()} ${line}`;
        if (!args.quiet) stderrLine(stamped);
        if (args.logFile) appendFileSync(args.logFile, `${stamped}\n`);
      };
  return {
    host: 'browser',
    // The page may be on another computer: nothing is started here, no folder picker, no tray.
    capabilities: { openOnMachine: false, chooseFolder: false, tray: false },
    version: readVersion(),
    platform: process.platform,
    dataDir: args.dataDir,
    downloadsDir: args.downloadsDir,
    systemLanguage: Intl.DateTimeFormat().resolvedOptions().locale || process.env.LANG || 'en',
    languageOverride: args.lang,
    env: process.env,
    storeFactory: confStoreFactory,
    cipher: createHostFileCipher(args.dataDir),
    shell: {
      openPath: (path) => openWith(path),
      showItemInFolder: (path) => openWith(dirname(path)),
      openPage: (page) => openWith(EXTERNAL_PAGES[page]),
    },
    demoAvailable: true,
    log,
  };
}
