/**
 * What a pasted Personal Access Token must look like, once: the contract's zod schema and the Add
 * dialog's check before sending both use these rules (zod-free, so the renderer needs no zod).
 */
export const TOKEN_MIN_LENGTH = 8;
export const TOKEN_MAX_LENGTH = 4096;
/** Printable ASCII without spaces: what Infomaniak's tokens are made of. */
export const TOKEN_CHARS = /^[\x21-\x7e]+$/;

export type TokenProblem = 'empty' | 'tooShort' | 'tooLong' | 'badChars';

/** Why a token (trimmed first) cannot be right, or null when it may be. */
export function tokenProblem(raw: string): TokenProblem | null {
  const token = raw.trim();
  if (token.length === 0) return 'empty';
  if (token.length < TOKEN_MIN_LENGTH) return 'tooShort';
  if (token.length > TOKEN_MAX_LENGTH) return 'tooLong';
  if (!TOKEN_CHARS.test(token)) return 'badChars';
  return null;
}
