/**
 * The vault cipher on Electron's safeStorage (async API). `basic_text` means no keyring: the token
 * would only be obfuscated, so the user must agree first.
 */
import type { SafeStorage } from 'electron';
import type { TokenCipher } from '../connections/vault';

export function createSafeStorageCipher(safeStorage: SafeStorage, platform: NodeJS.Platform): TokenCipher {
  const backend = async (): Promise<string> => {
    if (platform === 'darwin') return 'keychain';
    if (platform === 'win32') return 'dpapi';
    return safeStorage.getSelectedStorageBackend();
  };
  const isSafe = async () => (await safeStorage.isAsyncEncryptionAvailable()) && (await backend()) !== 'basic_text';
  return {
    backend,
    isSafe,
    consentRequired: async () => !(await isSafe()),
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    async decrypt(data) {
      const { result } = await safeStorage.decryptStringAsync(Buffer.from(data));
      return result;
    },
  };
}
