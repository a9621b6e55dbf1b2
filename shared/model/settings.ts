export type LanguageSetting = 'system' | 'en' | 'de';
export type VcardVersion = '3.0' | '4.0';
/** A mail folder or mailbox downloads as `.mbox` files (one per folder) or as folders of `.eml` files. */
export type MailFolderFormat = 'mbox' | 'eml';

export interface Settings {
  language: LanguageSetting;
  /** Null: the system Downloads folder. */
  downloadsDir: string | null;
  /** Parallel downloads, 1..8. */
  concurrency: number;
  vcardVersion: VcardVersion;
  mailFolderFormat: MailFolderFormat;
  /** Folder downloads: one file per item (keeps the structure) or one zip. */
  folderMode: 'files' | 'zip';
  /** Calendar window in days back / ahead, per calendar node id; default 365/365. */
  calendarWindows: Record<string, { daysBack: number; daysAhead: number }>;
  /** Quick sync: closing the window keeps the app in the tray while sync pairs exist. */
  syncKeepInTray: boolean;
  /** Quick sync: a desktop notification when a run ends with errors or conflicts. */
  syncNotify: boolean;
  /** Quick sync on a schedule: on start and every `syncEveryMinutes` (5–1440). Default off. */
  syncScheduled: boolean;
  syncEveryMinutes: number;
  /**
   * Quick sync's mass-delete guard: a run that would move more than `syncMaxDeleteFiles` files, or
   * more than `syncMaxDeletePercent` % of a pair's files, to the trash asks first and deletes nothing.
   */
  syncMaxDeleteFiles: number;
  syncMaxDeletePercent: number;
  /**
   * One bandwidth limit for everything the app downloads (transfers, sync, drag staging together).
   * Off by default; `bandwidthMBps` (MB/s, 10^6 bytes, one decimal) applies while it is on.
   */
  bandwidthLimit: boolean;
  bandwidthMBps: number;
}

export const DEFAULT_SETTINGS: Settings = {
  language: 'system',
  downloadsDir: null,
  concurrency: 3,
  vcardVersion: '3.0',
  mailFolderFormat: 'mbox',
  folderMode: 'files',
  calendarWindows: {},
  syncKeepInTray: true,
  syncNotify: true,
  syncScheduled: false,
  syncEveryMinutes: 60,
  syncMaxDeleteFiles: 50,
  syncMaxDeletePercent: 30,
  bandwidthLimit: false,
  bandwidthMBps: 10,
};

/** The bandwidth limit's range in MB/s (one decimal). */
export const BANDWIDTH_MBPS = { min: 0.1, max: 10_000 } as const;

/**
 * What the shell the services run in can do for the user, so the UI offers only that (issue 23.8):
 * the browser host serves the UI to a browser, maybe on another computer, and starts nothing on
 * the machine it runs on.
 */
export interface ShellCapabilities {
  /** Open files, folders and web pages on the user's machine ("Open", "Show in folder", the token page). */
  openOnMachine: boolean;
  /** A folder picker ("Save to…", "Choose the folder…", the download folder). */
  chooseFolder: boolean;
  /** A tray icon and desktop notifications (the sync settings that need them). */
  tray: boolean;
}

export interface AppInfo {
  name: string;
  version: string;
  /** Which shell runs the services. */
  host: 'electron' | 'browser';
  /** What that shell can do (the UI offers nothing else). */
  capabilities: ShellCapabilities;
  platform: string;
  /** The language the UI should use now (resolved from settings, --lang and the system). */
  language: 'en' | 'de';
  /** Base URLs that differ from the real Infomaniak hosts, or null. */
  customEndpoints: Record<string, string> | null;
  downloadsDir: string;
  /** Whether the built-in demo (embedded simulator) can be started. */
  demoAvailable: boolean;
  /** Notices raised before the window could show them (e.g. a corrupt settings file moved aside). */
  notices: Notice[];
}

export interface Notice {
  level: 'info' | 'warning' | 'error';
  code: string;
  message: string;
}
