/**
 * What the composition root needs from the process it runs in. The Electron shell (main/index.ts)
 * and the browser host (main/host/cli.ts) each provide one; services never import Electron.
 */
import type { TokenCipher } from './connections/vault';
import type { StoreFactory } from './settings/store';
import type { ExternalPage } from '../shared/model/external-pages';
import type { ShellCapabilities } from '../shared/model/settings';

/** Opening files and folders through the OS (transfers' Open and Show in folder); both shells implement it. */
export interface DesktopShell {
  openPath(path: string): Promise<void>;
  showItemInFolder(path: string): Promise<void>;
}

export interface Platform {
  host: 'electron' | 'browser';
  /** What this shell can do for the user; `app:info` tells the renderer, which offers nothing else. */
  capabilities: ShellCapabilities;
  version: string;
  platform: string;
  /** Profile folder: settings, connections, transfer state. */
  dataDir: string;
  /** The system Downloads folder (or --downloads-dir). */
  downloadsDir: string;
  /** BCP 47 tag of the OS language, e.g. "de-CH". */
  systemLanguage: string;
  /** --lang, when given: wins over settings and the system. */
  languageOverride: 'en' | 'de' | null;
  /** Environment for endpoint overrides (INFOMANIAK_*_URL, NODE_EXTRA_CA_CERTS). */
  env: Record<string, string | undefined>;
  storeFactory: StoreFactory;
  cipher: TokenCipher;
  shell: DesktopShell & {
    /** Open one of the known Infomaniak pages in the user's browser. */
    openPage(page: ExternalPage): Promise<void>;
  };
  /** Electron: open an Infomaniak web app URL (already checked with `isWebAppUrl`) in the browser. Absent in the host: the page opens a tab. */
  openWebApp?: (url: string) => Promise<void>;
  /** Electron: put text on the clipboard. Absent in the host: the page uses navigator.clipboard. */
  copyText?: (text: string) => void;
  /**
   * Electron: asks before a program or script is opened (native dialog, default Cancel; true opens).
   * Absent in the browser host, which refuses to open such files (open-guard.ts).
   */
  confirmOpen?: (path: string, language: 'en' | 'de') => Promise<boolean>;
  /** Electron: a native folder picker. Absent in the browser host. */
  chooseDirectory?: () => Promise<string | null>;
  /** Electron: start an OS drag of local files from the window that asked. */
  startDrag?: (files: string[], senderUrl: string) => Promise<void>;
  /** Electron: move a file to the OS trash (sync). Absent in the host, which uses a `.trash` folder in the pair. */
  trashItem?: (path: string) => Promise<void>;
  /** Electron: the system proxy for a URL as a PAC result (session.resolveProxy), for the Infomaniak client. */
  resolveProxy?: (url: string) => Promise<string>;
  /** Whether the embedded simulator may be started for the demo. */
  demoAvailable: boolean;
  log: (line: string) => void;
}
