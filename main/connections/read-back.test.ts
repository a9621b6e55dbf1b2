/**
 * The vault's records and the connection records read back in another shape: the damaged entry is
 * skipped (that connection needs its token again, worded as such), the others are read; a damaged
 * key file's error carries its reason and the new place of the file for the words.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorWords } from '../../shared/i18n/error-words';
import { connectionSchema } from '../../shared/model/connection';
import { appErrorFrom } from '../errors/app-error';
import { memoryStore } from '../settings/store';
import { createHostFileCipher } from './host-cipher';
import { Vault } from './vault';

const TOKEN = 'read-back-token-0123456789abcdef';

describe('vault records read back', () => {
  it.each([
    ['a string', 'garbage'],
    ['a ciphertext of the wrong type', { v: 1, backend: 'host-file', ciphertext: 42, storedAt: 1 }],
    ['no backend', { v: 1, ciphertext: 'abc', storedAt: 1 }],
    ['null', null],
  ])('%s: that token is not stored (worded "enter it again"), the others are read', async (_label, damaged) => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-read-back-'));
    const store = memoryStore();
    const vault = new Vault(store, createHostFileCipher(dir));
    await vault.put('good', TOKEN, false);
    store.set('vault', { ...(store.get('vault') as object), bad: damaged });
    expect(await vault.get('good')).toBe(TOKEN);
    const error = appErrorFrom(await vault.get('bad').catch((e: unknown) => e));
    expect(error).toMatchObject({ code: 'vault_locked', reason: 'no_token' });
    expect(errorWords(error, 'de')).toBe(
      'Für diese Verbindung ist kein Token gespeichert. Geben Sie es unter Verbindungen erneut ein.',
    );
  });

  it('a damaged key file: vault_locked with reason and the place it was moved to, in the words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-read-back-'));
    const store = memoryStore();
    await new Vault(store, createHostFileCipher(dir)).put('c1', TOKEN, false);
    writeFileSync(join(dir, 'host-vault.key'), 'not a key');
    const cipher = createHostFileCipher(dir);
    const aside = readdirSync(dir).find((f) => f.startsWith('host-vault.corrupt-'))!;
    const error = appErrorFrom(await new Vault(store, cipher).get('c1').catch((e: unknown) => e));
    expect(error).toMatchObject({ code: 'vault_locked', reason: 'key_set_aside', params: { path: join(dir, aside) } });
    expect(errorWords(error, 'de')).toContain(`beiseitegelegt (als ${join(dir, aside)})`);
    expect(errorWords(error, 'en')).toContain(`set aside as ${join(dir, aside)}`);
  });
});

describe('a connection record read back', () => {
  it('a problem of another version’s shape is dropped, not the connection', () => {
    const available = { available: true };
    const record = {
      id: 'c1',
      label: 'Muster',
      status: 'needs_attention',
      grantedScopes: ['accounts'],
      accountIds: [1],
      services: { kdrive: available, calendar: available, contacts: available, mail: available },
      demo: false,
      createdAt: 1,
      updatedAt: 1,
    };
    const parsed = connectionSchema.parse({ ...record, problem: { code: 'a_code_of_tomorrow', message: 'x' } });
    expect(parsed).toEqual(record);
    const kept = connectionSchema.parse({ ...record, problem: { code: 'io', reason: 'no_such', message: 'x' } });
    expect(kept.problem).toEqual({ code: 'io', message: 'x' });
  });
});
