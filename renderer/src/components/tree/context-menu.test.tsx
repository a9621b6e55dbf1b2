import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContextMenu } from './context-menu';
import type { MenuCommand } from './context-menu';
import { refreshTargets, sourcesMenu } from './menu-items';
import { file, folder } from './test-support';
import { copyablePath, de, displayPath, en } from './tree-strings';
import type { SourceNode } from '../../../../shared/model/sources';

afterEach(cleanup);

function Opener({ items }: { items: MenuCommand[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        open
      </button>
      <button type="button">elsewhere</button>
      {open && <ContextMenu items={items} label="Actions" at={{ x: 10, y: 10 }} onClose={() => setOpen(false)} />}
    </>
  );
}

const cmd = (id: string, extra: Partial<MenuCommand> = {}): MenuCommand & { run: ReturnType<typeof vi.fn> } =>
  ({ id, label: id, run: vi.fn(), ...extra }) as never;

describe('ContextMenu', () => {
  it('focuses the first enabled item, moves with arrows, runs with Enter, and gives focus back', async () => {
    const items = [
      cmd('a', { disabled: true }),
      cmd('b'),
      cmd('c', { shortcut: { text: 'Ctrl+S', aria: 'Control+S' } }),
    ];
    render(<Opener items={items} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'open' }));
    const menu = screen.getByRole('menu', { name: 'Actions' });
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'b' }));
    expect(screen.getByRole('menuitem', { name: 'a' }).getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByRole('menuitem', { name: 'c' }).getAttribute('aria-keyshortcuts')).toBe('Control+S');
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'c' }));
    await user.keyboard('{ArrowDown}'); // wraps
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'a' }));
    await user.keyboard('{Enter}'); // disabled: nothing
    expect(items[0]!.run).not.toHaveBeenCalled();
    expect(menu.isConnected).toBe(true);
    await user.keyboard('{End}{Enter}');
    expect(items[2]!.run).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'open' }));
  });

  it('Esc and Tab close and return focus; a press outside closes without taking focus back', async () => {
    render(<Opener items={[cmd('a')]} />);
    const user = userEvent.setup();
    const opener = screen.getByRole('button', { name: 'open' });
    await user.click(opener);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(opener);
    await user.click(opener);
    await user.keyboard('{Tab}');
    expect(screen.queryByRole('menu')).toBeNull();
    await user.click(opener);
    await user.click(screen.getByRole('button', { name: 'elsewhere' }));
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'elsewhere' }));
  });
});

describe('sourcesMenu', () => {
  const labels = { download: 'Download', saveTo: 'Save to…', refresh: 'Refresh', details: 'Details' };
  const actions = () => ({ download: vi.fn(), saveTo: vi.fn(), refresh: vi.fn(), details: vi.fn() });

  it('offers what applies: Save to… only where main can pick a folder; Download off without downloadable items', () => {
    const a = actions();
    const conn = folder('c', null, 'Anna', { kind: 'connection', downloadable: false });
    const ids = (items: MenuCommand[]) => items.map((i) => (i.disabled ? `(${i.id})` : i.id));
    expect(ids(sourcesMenu({ nodes: [conn], canChooseFolder: false, labels, actions: a }))).toEqual([
      '(download)',
      'refresh',
      'details',
    ]);
    const items = sourcesMenu({
      nodes: [file('f', 'p'), folder('d', 'p')],
      canChooseFolder: true,
      labels,
      actions: a,
    });
    expect(ids(items)).toEqual(['download', 'saveTo', 'refresh', 'details']);
    items[1]!.run();
    expect(a.saveTo).toHaveBeenCalledWith(['f', 'd']);
    items[2]!.run();
    expect(a.refresh).toHaveBeenCalledWith(['p', 'd']);
  });

  it('shows each command’s key beside it, where it has one (23.5)', () => {
    const key = (text: string) => ({ text, aria: text.replace('Ctrl', 'Control') });
    const items = sourcesMenu({
      nodes: [file('f', 'p')],
      canChooseFolder: true,
      labels: { ...labels, copyPath: 'Copy path', openWebApp: 'Open in the web app' },
      actions: { ...actions(), copyPath: vi.fn(), openWebApp: vi.fn() },
      shortcuts: { download: key('Ctrl+Enter'), saveTo: key('Ctrl+S'), copyPath: key('Ctrl+Shift+C') },
    });
    expect(items.map((i) => [i.id, i.shortcut?.text ?? null])).toEqual([
      ['download', 'Ctrl+Enter'],
      ['saveTo', 'Ctrl+S'],
      ['refresh', null],
      ['copyPath', 'Ctrl+Shift+C'],
      ['details', null],
    ]);
  });

  it('Copy path and Open in the web app: for one node only, and only where they apply', () => {
    const a = { ...actions(), copyPath: vi.fn(), openWebApp: vi.fn() };
    const all = { ...labels, copyPath: 'Copy path', openWebApp: 'Open in the Infomaniak web app' };
    const ids = (nodes: Parameters<typeof sourcesMenu>[0]['nodes']) =>
      sourcesMenu({ nodes, canChooseFolder: false, labels: all, actions: a }).map((i) => i.id);
    const kfile = file('f', 'p', 'a.txt', { service: 'kdrive' });
    expect(ids([kfile])).toEqual(['download', 'refresh', 'copyPath', 'openWebApp', 'details']);
    expect(ids([kfile, file('g', 'p', 'b.txt', { service: 'kdrive' })])).toEqual(['download', 'refresh', 'details']);
    expect(ids([folder('c', null, 'Anna', { kind: 'connection', downloadable: false })])).toEqual([
      'download',
      'refresh',
      'details',
    ]);
    const account = folder('ac', 's', 'Muster AG', { kind: 'account', service: 'kdrive', downloadable: false });
    expect(ids([account])).toEqual(['download', 'refresh', 'copyPath', 'details']);
    const mail = folder('m', 's', 'Mail', { kind: 'service', service: 'mail', downloadable: false });
    expect(ids([mail])).toEqual(['download', 'refresh', 'copyPath', 'openWebApp', 'details']);
    const items = sourcesMenu({ nodes: [kfile], canChooseFolder: false, labels: all, actions: a });
    items.find((i) => i.id === 'copyPath')!.run();
    items.find((i) => i.id === 'openWebApp')!.run();
    expect(a.copyPath).toHaveBeenCalledWith('f');
    expect(a.openWebApp).toHaveBeenCalledWith('f');
    expect(items.find((i) => i.id === 'copyPath')!.separatorBefore).toBe(true);
  });

  it('refreshes each folder once: a file refreshes its parent', () => {
    expect(refreshTargets([file('x', 'p'), file('y', 'p'), folder('p', 'q')])).toEqual(['p']);
    expect(refreshTargets([file('r', null)])).toEqual([]);
  });
});

describe('displayPath', () => {
  it('names a node from its service down, as the tree shows it (the service in the UI language)', () => {
    const nodes = [
      folder('c', null, 'Lea Brunner', { kind: 'connection', downloadable: false }),
      folder('s', 'c', 'kDrive', { kind: 'service', service: 'kdrive', downloadable: false }),
      folder('d', 's', 'Muster AG', { kind: 'drive' }),
      folder('p', 'd', 'Projekte'),
      file('f', 'p', 'Konzept.pdf'),
      folder('cal', 'c', 'Calendar', { kind: 'service', service: 'calendar', downloadable: false }),
    ];
    const get = (id: string) => nodes.find((n) => n.id === id);
    expect(displayPath('f', get, en)).toBe('kDrive / Muster AG / Projekte / Konzept.pdf');
    expect(displayPath('cal', get, de)).toBe(de.services.calendar);
    expect(displayPath('c', get, en)).toBe('');
  });
});

describe('copyablePath: one form, the one Details shows, and the menu says which (23.7)', () => {
  it('a kDrive item: its path in the drive; anything else: its location in the tree', () => {
    const nodes = [
      folder('c', null, 'Lea Brunner', { kind: 'connection', downloadable: false }),
      folder('s', 'c', 'kDrive', { kind: 'service', service: 'kdrive', downloadable: false }),
      folder('d', 's', 'Muster AG', { kind: 'drive', details: { path: '/' } }),
      file('f', 'd', 'Konzept.pdf', { service: 'kdrive', details: { path: '/Common documents/Konzept.pdf' } }),
      folder('cal', 'c', 'Calendar', { kind: 'service', service: 'calendar', downloadable: false }),
      file('e', 'cal', 'Apéro', { kind: 'event', service: 'calendar' }),
    ];
    const get = (id: string) => nodes.find((n) => n.id === id);
    expect(copyablePath('f', get, en)).toEqual({ kind: 'path', text: '/Common documents/Konzept.pdf' });
    expect(copyablePath('e', get, en)).toEqual({ kind: 'location', text: 'Calendar / Apéro' });
    const labels = {
      download: 'Download',
      saveTo: 'Save to…',
      refresh: 'Refresh',
      details: 'Details',
      copyPath: 'Copy path in kDrive',
      copyLocation: 'Copy location',
    };
    const actions = { download: vi.fn(), saveTo: vi.fn(), refresh: vi.fn(), details: vi.fn(), copyPath: vi.fn() };
    const copy = (node: SourceNode) =>
      sourcesMenu({ nodes: [node], canChooseFolder: false, labels, actions }).find((i) => i.id === 'copyPath')?.label;
    expect(copy(get('f')!)).toBe('Copy path in kDrive');
    expect(copy(get('e')!)).toBe('Copy location');
  });
});
