/** Behaviour taught from Infomaniak's own apps (issue 9): correspondents, drive discovery, mail threads… */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open } from './helpers';
import type { Client } from './helpers';

let demo: Client;

beforeAll(async () => {
  demo = await open('demo', 'demo-poweron-token-7f3a9c2e51d8');
});
afterAll(() => demo.close());

interface ContactJson {
  id: number;
  addressbook_id: number | null;
  other?: boolean;
  emails?: string[];
}

describe('contacts: with=others', () => {
  it('adds the people only corresponded with, as other: true in no book; a book filter leaves them out', async () => {
    const all = await demo.json<{ data: ContactJson[] }>('contacts', '/api/pim/contact/all?with=emails,others');
    const others = all.body.data.filter((c) => c.other === true);
    expect(others).toHaveLength(3);
    expect(others.every((c) => c.addressbook_id === null)).toBe(true);
    expect(others.map((c) => c.emails?.[0])).toContain('olivia.martin@example.fr');
    const plain = await demo.json<{ data: ContactJson[] }>('contacts', '/api/pim/contact/all?with=emails');
    expect(plain.body.data.some((c) => c.other)).toBe(false);
    const book = all.body.data[0]!.addressbook_id;
    const filtered = await demo.json<{ data: ContactJson[] }>(
      'contacts',
      `/api/pim/contact/all?with=emails,others&addressbook_id=${book}`,
    );
    expect(filtered.body.data.some((c) => c.other)).toBe(false);
  });
});
