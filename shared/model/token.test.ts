import { describe, expect, it } from 'vitest';
import { channels } from '../ipc/contract';
import { tokenProblem } from './token';

describe('tokenProblem', () => {
  it('names what is wrong, the same way the contract decides', () => {
    const cases: Array<[string, ReturnType<typeof tokenProblem>]> = [
      ['', 'empty'],
      ['   ', 'empty'],
      ['abc', 'tooShort'],
      ['x'.repeat(4097), 'tooLong'],
      ['abcd efgh', 'badChars'],
      ['abcdéfgh', 'badChars'],
      ['  edge-full-token  ', null],
    ];
    for (const [token, expected] of cases) {
      expect(tokenProblem(token), token).toBe(expected);
      const parsed = channels['connections:add'].input.safeParse({ token, attemptId: 'a1' });
      expect(parsed.success, token).toBe(expected === null);
    }
  });
});
