/**
 * The open guard (issue 8.16): which files are programs or scripts (pure), and what "Open" does
 * with them: the browser host refuses (unsafe_file), a confirm (Electron) decides.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppFailure } from '../shared/model/errors';
import { fileFacts, guardOpenPath, guardShell, openRisk, riskyExtensions } from './open-guard';
import { CHROMIUM, LOCAL } from './open-guard-types';

const plainFile = { isFile: true, mode: 0o100644 };

/** Node's names of the three platforms the app ships for. */
const PLATFORMS = ['win32', 'darwin', 'linux'] as const;
type Platform = (typeof PLATFORMS)[number];

const risky = (name: string, platform: Platform) => openRisk(`/home/anna/Downloads/${name}`, plainFile, platform);

describe('openRisk: the types of issue 25.10 that the guard let through', () => {
  // The audit's list, per the platform where each one runs something when opened.
  const AUDIT: Array<[string, Platform]> = [
    ['Disk.iso', 'win32'],
    ['Disk.img', 'win32'],
    ['Disk.vhd', 'win32'],
    ['Disk.vhdx', 'win32'],
    ['Notes.one', 'win32'],
    ['AddIn.xll', 'win32'],
    ['Display.settingcontent-ms', 'win32'],
    ['Documents.library-ms', 'win32'],
    ['Office.rdp', 'win32'],
    ['Sandbox.wsb', 'win32'],
    ['Update.appinstaller', 'win32'],
    ['Link.fileloc', 'darwin'],
    ['Link.inetloc', 'darwin'],
    ['Profile.mobileconfig', 'darwin'],
    ['App.flatpakref', 'linux'],
  ];
  it.each(AUDIT)('%s is asked about on %s', (name, platform) => {
    expect(risky(name, platform)).toBe('executable-type');
    // Case and (Windows) trailing dots and spaces do not hide it.
    expect(risky(name.toUpperCase(), platform)).toBe('executable-type');
    if (platform === 'win32')
      expect(openRisk(`C:\\Users\\anna\\Downloads\\${name}. .`, plainFile, platform)).toBe('executable-type');
  });
});

describe('openRisk: every type of the table, on every platform it names (data-driven)', () => {
  for (const platform of PLATFORMS) {
    const types = [...riskyExtensions(platform)].sort();
    it(`${platform}: the table has the platform's list`, () => {
      expect(types.length).toBeGreaterThan(platform === 'win32' ? 150 : 60);
      for (const ext of types) expect(ext).toMatch(/^\.[a-z0-9][a-z0-9-]*$/);
    });
    it.each(types)(`${platform}: %s is asked about`, (ext) => {
      expect(risky(`file${ext}`, platform)).toBe('executable-type');
    });
  }
});

describe('the table (open-guard-types.ts)', () => {
  it("Chromium's lists have no duplicates; every local addition says why and adds something Chromium lacks", () => {
    for (const platform of ['windows', 'mac', 'linux'] as const) {
      const list = CHROMIUM[platform];
      expect(new Set(list).size, platform).toBe(list.length);
    }
    for (const local of LOCAL) {
      expect(local.why.length).toBeGreaterThan(20);
      const covered = local.platforms.every((p) => local.types.every((t) => CHROMIUM[p].includes(t)));
      expect(covered, local.types.join(' ')).toBe(false);
    }
  });
});

describe("openRisk: Chromium's list is per platform", () => {
  it.each([
    // [name, asked on Windows, on macOS, on Linux]
    ['setup.exe', true, true, true], // every platform: the guard asked about it before (Wine)
    ['Macro.xlsm.xll', true, false, false],
    ['feed.xml', true, false, false],
    ['Sales.mdb', true, false, false],
    ['Remote.webloc', false, true, false],
    ['Tool.dylib', false, true, false],
    ['Puppy.pet', false, false, true],
    ['tool.pyz', true, true, true],
    ['build.tcsh', false, true, true],
    ['Tool.AppImage', true, true, true],
  ] as const)('%s: Windows %s, macOS %s, Linux %s', (name, win, mac, linux) => {
    expect([risky(name, 'win32'), risky(name, 'darwin'), risky(name, 'linux')]).toEqual(
      [win, mac, linux].map((yes) => (yes ? 'executable-type' : null)),
    );
  });

  it('never asks less than before issue 25: the old list counts on every platform', () => {
    const before = ['.exe', '.msi', '.bat', '.ps1', '.vbs', '.js', '.hta', '.lnk', '.url', '.jar', '.py', '.app'];
    const more = ['.command', '.pkg', '.dmg', '.sh', '.zsh', '.appimage', '.deb', '.rpm', '.desktop', '.flatpak'];
    for (const platform of PLATFORMS)
      for (const ext of [...before, ...more])
        expect(risky(`file${ext}`, platform), `${ext} ${platform}`).toBe('executable-type');
  });
});

describe('openRisk', () => {
  it.each([
    'setup.exe',
    'Setup.EXE',
    'install.msi',
    'run.bat',
    'run.cmd',
    'command.com',
    'screensaver.scr',
    'script.ps1',
    'macro.vbs',
    'tool.js',
    'tool.jse',
    'job.wsf',
    'page.hta',
    'app.jar',
    'Installer.app',
    'start.command',
    'install.sh',
    'Package.pkg',
    'Disk.dmg',
    'Tool.AppImage',
    'tool.deb',
    'tool.rpm',
    'launcher.desktop',
    'Shortcut.lnk',
  ])('%s is a program or script', (name) => {
    expect(openRisk(`/home/anna/Downloads/${name}`, plainFile, 'linux')).toBe('executable-type');
  });

  it.each([
    'Plan.pdf',
    'Foto.jpg',
    'Notes.txt',
    'Kalender.ics',
    'Kontakte.vcf',
    'big.bin',
    '.bashrc',
    'Report.docx',
    'Budget.xlsx',
    'Slides.pptx',
    'Photos.zip',
    'Backup.7z',
    'Film.mp4',
    'noextension',
  ])('%s is not, on any platform', (name) => {
    for (const platform of PLATFORMS) expect(risky(name, platform), platform).toBeNull();
  });

  it('message.eml is not on Linux or macOS (Chromium lists it for Windows, where Outlook opens it)', () => {
    expect(risky('message.eml', 'linux')).toBeNull();
    expect(risky('message.eml', 'darwin')).toBeNull();
    expect(risky('message.eml', 'win32')).toBe('executable-type');
  });

  it('an unknown platform is treated like Linux', () => {
    expect(risky('App.flatpakref', 'freebsd' as Platform)).toBe('executable-type');
    expect(risky('feed.xml', 'freebsd' as Platform)).toBeNull();
  });

  it('Windows ignores trailing dots and spaces, so they do not hide a type; backslash paths', () => {
    expect(openRisk('C:\\Users\\anna\\Downloads\\invoice.pdf.exe. . ', plainFile, 'win32')).toBe('executable-type');
    expect(openRisk('C:\\Users\\anna\\Downloads\\invoice.pdf', plainFile, 'win32')).toBeNull();
  });

  it('the executable bit counts on Linux and macOS, not on Windows, and only for files', () => {
    const exec = { isFile: true, mode: 0o100755 };
    expect(openRisk('/home/anna/tool', exec, 'linux')).toBe('executable-bit');
    expect(openRisk('/Users/anna/tool', { isFile: true, mode: 0o100744 }, 'darwin')).toBe('executable-bit');
    expect(openRisk('C:\\tool', exec, 'win32')).toBeNull();
    expect(openRisk('/home/anna/Folder', { isFile: false, mode: 0o40755 }, 'linux')).toBeNull();
    expect(openRisk('/home/anna/gone.txt', null, 'linux')).toBeNull();
  });
});

describe('fileFacts on real files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'open-guard-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sees the executable bit of a file, and a folder as no file', async () => {
    const tool = join(dir, 'tool');
    await writeFile(tool, '#!/bin/sh\necho hi\n');
    await chmod(tool, 0o755);
    await mkdir(join(dir, 'Folder'));
    expect(openRisk(tool, await fileFacts(tool), 'linux')).toBe('executable-bit');
    expect(openRisk(join(dir, 'Folder'), await fileFacts(join(dir, 'Folder')), 'linux')).toBeNull();
    expect(await fileFacts(join(dir, 'missing'))).toBeNull();
  });
});

describe('guardOpenPath', () => {
  const facts = async () => plainFile;

  it('browser host (no confirm): refuses a program with unsafe_file and a message that says what to do', async () => {
    const openPath = vi.fn(async () => undefined);
    const open = guardOpenPath(openPath, { platform: 'linux', facts });
    const failure: unknown = await open('/home/anna/Downloads/setup.exe').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppFailure);
    expect(failure).toMatchObject({ code: 'unsafe_file' });
    expect((failure as AppFailure).message).toContain('"setup.exe" can run programs or change settings when opened');
    expect((failure as AppFailure).message).toContain('Show in folder');
    expect(openPath).not.toHaveBeenCalled();
  });

  it('opens other files without asking', async () => {
    const openPath = vi.fn(async () => undefined);
    const confirm = vi.fn(async () => false);
    await guardOpenPath(openPath, { platform: 'linux', facts, confirm })('/home/anna/Downloads/Plan.pdf');
    expect(openPath).toHaveBeenCalledWith('/home/anna/Downloads/Plan.pdf');
    expect(confirm).not.toHaveBeenCalled();
  });

  it('with a confirm: No is cancelled and nothing opens; Yes opens', async () => {
    const openPath = vi.fn(async () => undefined);
    const no = guardOpenPath(openPath, { platform: 'darwin', facts, confirm: async () => false });
    await expect(no('/Users/anna/Downloads/Installer.pkg')).rejects.toMatchObject({ code: 'cancelled' });
    expect(openPath).not.toHaveBeenCalled();
    const yes = guardOpenPath(openPath, { platform: 'darwin', facts, confirm: async () => true });
    await yes('/Users/anna/Downloads/Installer.pkg');
    expect(openPath).toHaveBeenCalledWith('/Users/anna/Downloads/Installer.pkg');
  });

  it('guardShell keeps the other shell actions and guards openPath', async () => {
    const shell = {
      openPath: vi.fn(async (_path: string) => undefined),
      showItemInFolder: vi.fn(async (_path: string) => undefined),
      openPage: vi.fn(async () => undefined),
    };
    const guarded = guardShell(shell, { platform: 'linux', facts });
    await guarded.showItemInFolder('/d/setup.exe');
    expect(shell.showItemInFolder).toHaveBeenCalledWith('/d/setup.exe');
    await expect(guarded.openPath('/d/setup.exe')).rejects.toMatchObject({ code: 'unsafe_file' });
    expect(shell.openPath).not.toHaveBeenCalled();
  });
});
