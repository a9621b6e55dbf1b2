/**
 * The open guard (issue 8.16): which files are programs or scripts (pure), and what "Open" does
 * with them: the browser host refuses (unsafe_file), a confirm (Electron) decides.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppFailure } from '../shared/model/errors';
import { fileFacts, guardOpenPath, guardShell, openRisk } from './open-guard';

const plainFile = { isFile: true, mode: 0o100644 };

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

  it.each(['Plan.pdf', 'Foto.jpg', 'Notes.txt', 'Kalender.ics', 'Kontakte.vcf', 'message.eml', 'big.bin', '.bashrc'])(
    '%s is not',
    (name) => {
      expect(openRisk(`/home/anna/Downloads/${name}`, plainFile, 'linux')).toBeNull();
    },
  );

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
    expect((failure as AppFailure).message).toContain('"setup.exe" is a program or script');
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
