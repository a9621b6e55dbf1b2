/**
 * Issue 8.12 end to end in the host's composition: a damaged vault key file at start is set aside,
 * a notice says so, and every stored connection needs attention with a reason naming the key.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { confStoreFactory } from '../settings/conf-store';
import { createHostFileCipher } from '../connections/host-cipher';
import { openStore } from '../settings/store';
import { Vault } from '../connections/vault';
import { createHostPlatform, parseHostArgs } from './platform';

describe('the host starting with a damaged vault key file', () => {
  it('sets the key aside, raises a notice naming it, and marks the stored connections', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-key-'));
    const dataDir = join(dir, 'data');
    const rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
    mkdirSync(dataDir);
    const store = openStore(confStoreFactory, { cwd: dataDir, name: 'connections' }, () => {});
    await new Vault(store, createHostFileCipher(dataDir)).put('c1', 'pat-0123456789abcdef', false);
    const now = Date.now();
    store.set('connections', [
      {
        id: 'c1',
        label: 'Anna',
        status: 'active',
        grantedScopes: ['accounts', 'drive'],
        accountIds: [1],
        services: {
          kdrive: { available: true },
          calendar: { available: true },
          contacts: { available: true },
          mail: { available: false },
        },
        demo: false,
        createdAt: now,
        updatedAt: now,
      },
    ]);
    writeFileSync(join(dataDir, 'host-vault.key'), 'garbage');

    const args = parseHostArgs(
      ['--data-dir', dataDir, '--renderer-dir', rendererDir, '--downloads-dir', join(dir, 'dl'), '--quiet'],
      {},
    );
    const app = await createApp(createHostPlatform(args), { isTrustedSender: () => true });
    try {
      const aside = readdirSync(dataDir).filter((f) => f.startsWith('host-vault.corrupt-'));
      expect(aside).toHaveLength(1);
      const info = await app.handlers['app:info'](undefined, { senderUrl: '', transport: 'websocket' });
      const notice = info.notices.find((n) => n.code === 'vault_key_set_aside');
      expect(notice?.message).toContain(join(dataDir, 'host-vault.key'));
      expect(notice?.message).toContain(aside[0]);
      const [conn] = app.connections.list();
      expect(conn).toMatchObject({ status: 'needs_attention', problem: { code: 'vault_locked' } });
      expect(conn?.problem?.message).toContain('host-vault.key');
    } finally {
      await app.dispose();
    }
  });
});
