import { describe, expect, it } from 'vitest';
import { AccountSchema, decodeAccounts } from './accounts';

describe('/1/accounts', () => {
  it('decodes accounts, skipping records without a usable id and dropping odd names', () => {
    expect(
      decodeAccounts([
        { id: 7, name: 'Acme', type: 'owner', extra: true },
        { id: '8' },
        { id: 0, name: 'zero' },
        { name: 'no id' },
        { id: 9, name: 42 },
        null,
      ]),
    ).toEqual([{ id: 7, name: 'Acme', type: 'owner', extra: true }, { id: 8 }, { id: 9 }]);
    expect(decodeAccounts({ not: 'a list' })).toEqual([]);
    expect(AccountSchema.safeParse({ id: -1 }).success).toBe(false);
  });
});
