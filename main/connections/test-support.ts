/** Test helpers for the services. Used by *.test.ts only. */
import type { TokenCipher } from './vault';

/** A reversible stand-in cipher ("enc:" prefix) with a keyring-safe backend named `test`. */
export const testCipher: TokenCipher = {
  backend: async () => 'test',
  isSafe: async () => true,
  consentRequired: async () => false,
  encrypt: async (s) => new TextEncoder().encode(`enc:${s}`),
  decrypt: async (b) => new TextDecoder().decode(b).slice(4),
};
