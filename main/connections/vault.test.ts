import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { SafeStorage } from 'electron';
import { createSafeStorageCipher } from '../shell/cipher';
import { confStoreFactory } from '../settings/conf-store';
import { createHostFileCipher } from './host-cipher';
import { memoryStore, openStore } from '../settings/store';
import { Vault } from './vault';

const TOKEN = 'pat-0123456789abcdef-SECRET';

/** A safeStorage stand-in: "encrypts" by XOR with a key, reports a chosen backend. */
function fakeSafeStorage(options: { backend?: string; available?: boolean; key?: number } = {}) {
  const state = {
    backend: options.backend ?? 'gnome_libsecret',
    available: options.available ?? true,
    key: options.key ?? 0x5a,
  };
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ state.key));
  const api = {
    getSelectedStorageBackend: vi.fn(() => state.backend),
    isAsyncEncryptionAvailable: vi.fn(async () => state.available),
    encryptStringAsync: vi.fn(async (plain: string) => Buffer.concat([Buffer.from('v11'), xor(Buffer.from(plain))])),
    decryptStringAsync: vi.fn(async (data: Buffer) => {
      if (data.subarray(0, 3).toString() !== 'v11')
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const plain = xor(data.subarray(3)).toString();
      if (!/^[\x20-\x7e]+$/.test(plain))
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return { result: plain, shouldReEncrypt: false };
    }),
  };
  return { state, safeStorage: api as unknown as SafeStorage };
}

describe('Vault on Electron safeStorage (mocked)', () => {
  it('stores only ciphertext, with backend name and format version, and reads the token back', async () => {
    const { safeStorage } = fakeSafeStorage();
    const store = memoryStore();
    const vault = new Vault(store, createSafeStorageCipher(safeStorage, 'linux'));
    expect(await vault.status()).toEqual({ backend: 'gnome_libsecret', safe: true, consentRequired: false });
    await vault.put('c1', TOKEN, false);
    const raw = JSON.stringify(store.get('vault'));
    expect(raw).not.toContain(TOKEN);
    expect(store.get('vault')).toEqual({
      c1: { v: 1, backend: 'gnome_libsecret', ciphertext: expect.any(String), storedAt: expect.any(Number) },
    });
    expect(await vault.get('c1')).toBe(TOKEN);
  });

  it('asks for consent on basic_text (no keyring) and refuses to store silently', async () => {
    const { safeStorage } = fakeSafeStorage({ backend: 'basic_text' });
    const store = memoryStore();
    const vault = new Vault(store, createSafeStorageCipher(safeStorage, 'linux'));
    expect(await vault.status()).toEqual({ backend: 'basic_text', safe: false, consentRequired: true });
    await expect(vault.put('c1', TOKEN, false)).rejects.toMatchObject({ code: 'weak_storage' });
    expect(store.get('vault')).toBeUndefined();
    await vault.put('c1', TOKEN, true);
    expect(await vault.get('c1')).toBe(TOKEN);
  });

  it('treats unavailable async encryption as needing consent', async () => {
    const { safeStorage } = fakeSafeStorage({ available: false });
    const vault = new Vault(memoryStore(), createSafeStorageCipher(safeStorage, 'linux'));
    expect((await vault.status()).consentRequired).toBe(true);
  });

  it('reports vault_locked when the backend changed between runs, keeping the record', async () => {
    const fake = fakeSafeStorage();
    const store = memoryStore();
    await new Vault(store, createSafeStorageCipher(fake.safeStorage, 'linux')).put('c1', TOKEN, false);
    fake.state.backend = 'kwallet6';
    const vault = new Vault(store, createSafeStorageCipher(fake.safeStorage, 'linux'));
    await expect(vault.get('c1')).rejects.toMatchObject({ code: 'vault_locked' });
    expect(vault.has('c1')).toBe(true);
  });

  it('reports vault_locked when the ciphertext no longer decrypts (keyring reset)', async () => {
    const fake = fakeSafeStorage();
    const store = memoryStore();
    const vault = new Vault(store, createSafeStorageCipher(fake.safeStorage, 'linux'));
    await vault.put('c1', TOKEN, false);
    fake.state.key = 0x33;
    const error = await vault.get('c1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'vault_locked' });
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });

  it('names the macOS and Windows backends', async () => {
    const { safeStorage } = fakeSafeStorage();
    expect(await createSafeStorageCipher(safeStorage, 'darwin').backend()).toBe('keychain');
    expect(await createSafeStorageCipher(safeStorage, 'win32').backend()).toBe('dpapi');
  });

  it('deletes the ciphertext', async () => {
    const { safeStorage } = fakeSafeStorage();
    const store = memoryStore();
    const vault = new Vault(store, createSafeStorageCipher(safeStorage, 'linux'));
    await vault.put('c1', TOKEN, false);
    await vault.put('c2', TOKEN, false);
    vault.delete('c1');
    expect(Object.keys(store.get('vault') as object)).toEqual(['c2']);
    await expect(vault.get('c1')).rejects.toMatchObject({ code: 'vault_locked' });
  });
});

describe('stores on disk', () => {
  it('moves a corrupt store file aside (kept), reports it, and starts fresh', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    writeFileSync(join(dir, 'connections.json'), '{"connections": [ {"id": "c1", broken');
    const reports: Array<{ movedTo: string }> = [];
    const store = openStore(confStoreFactory, { cwd: dir, name: 'connections' }, (r) => reports.push(r));
    expect(reports).toHaveLength(1);
    expect(readFileSync(reports[0]!.movedTo, 'utf8')).toContain('"id": "c1", broken');
    expect(store.get('connections')).toBeUndefined();
    store.set('connections', []);
    expect(readdirSync(dir).sort()).toEqual(
      ['connections.json', expect.stringMatching(/^connections\.corrupt-.*\.json$/)].sort(),
    );
  });

  it('treats a JSON file that is not an object as corrupt', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    writeFileSync(join(dir, 'settings.json'), '[1,2,3]');
    const reports: unknown[] = [];
    openStore(confStoreFactory, { cwd: dir, name: 'settings' }, (r) => reports.push(r));
    expect(reports).toHaveLength(1);
  });

  it('leaves a healthy file alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    writeFileSync(join(dir, 'settings.json'), '{"settings":{"concurrency":4}}');
    const reports: unknown[] = [];
    const store = openStore(confStoreFactory, { cwd: dir, name: 'settings' }, (r) => reports.push(r));
    expect(reports).toHaveLength(0);
    expect(store.get('settings')).toEqual({ concurrency: 4 });
  });
});

describe('the browser host file vault', () => {
  it('is marked as the host vault, not keyring-safe, and round-trips with a key file of mode 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostvault-'));
    const cipher = createHostFileCipher(dir);
    const vault = new Vault(memoryStore(), cipher);
    expect(await vault.status()).toEqual({ backend: 'host-file', safe: false, consentRequired: false });
    await vault.put('c1', TOKEN, false);
    expect(await vault.get('c1')).toBe(TOKEN);
    const { statSync } = await import('node:fs');
    expect(statSync(join(dir, 'host-vault.key')).mode & 0o777).toBe(0o600);
    // A second process on the same folder reads it too.
    const again = new Vault(memoryStore(), createHostFileCipher(dir));
    const data = await cipher.encrypt(TOKEN);
    expect(await createHostFileCipher(dir).decrypt(data)).toBe(TOKEN);
    expect(again).toBeDefined();
  });
});

describe('a damaged host vault key file (issue 8.12)', () => {
  it.each([
    ['garbage', 'this is not a key\n'],
    ['empty', ''],
  ])(
    'a %s key file is moved aside (kept), said so, and the tokens need attention naming the key',
    async (_kind, content) => {
      const dir = mkdtempSync(join(tmpdir(), 'hostvault-'));
      const store = memoryStore();
      await new Vault(store, createHostFileCipher(dir)).put('c1', TOKEN, false);
      writeFileSync(join(dir, 'host-vault.key'), content);

      const cipher = createHostFileCipher(dir, () => Date.parse('2026-01-02T03:04:05Z'));
      const report = cipher.keyProblem();
      const aside = readdirSync(dir).filter((f) => f.startsWith('host-vault.corrupt-'));
      expect(aside).toEqual(['host-vault.corrupt-2026-01-02T03-04-05-000Z.key']);
      expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(content);
      expect(report).toMatchObject({ setAside: true });
      expect(report?.message).toContain(join(dir, 'host-vault.key'));
      expect(report?.message).toContain(aside[0]);

      const error = await new Vault(store, cipher).get('c1').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'vault_locked' });
      expect((error as Error).message).toContain('host-vault.key');
      expect((error as Error).message).toContain(aside[0]);
      // A new key works for new tokens.
      await new Vault(store, cipher).put('c2', TOKEN, false);
      expect(await new Vault(store, cipher).get('c2')).toBe(TOKEN);
    },
  );

  it('a healthy key file reports nothing, and a fresh folder is not a problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostvault-'));
    expect(createHostFileCipher(dir).keyProblem()).toBeNull();
    await createHostFileCipher(dir).encrypt('x');
    expect(createHostFileCipher(dir).keyProblem()).toBeNull();
  });

  it('a key file that vanished while tokens were stored names the key when a token cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostvault-'));
    const store = memoryStore();
    await new Vault(store, createHostFileCipher(dir)).put('c1', TOKEN, false);
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'host-vault.key'));
    const error = await new Vault(store, createHostFileCipher(dir)).get('c1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'vault_locked' });
    expect((error as Error).message).toContain('host-vault.key');
  });
});
