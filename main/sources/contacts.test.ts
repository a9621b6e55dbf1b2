/** Contacts against the simulator's demo: correspondents (`with=others` → `other: true`) are not contacts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index';
import type { Simulator } from '../../simulator/index';
import type { InfomaniakClient } from '../infomaniak/client';
import type { DownloadItem } from '../localfs/types';
import { ContactsAdapter } from './contacts';
import { childId, parseId } from './ids';
import { clientFor, collect, contextFor } from './test-support';

const TOKEN = 'demo-poweron-token-7f3a9c2e51d8';
const SERVICE = 'conn:c1/contacts';
let sim: Simulator;
let client: InfomaniakClient;

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'demo', quiet: true });
  client = clientFor(sim, TOKEN);
});
afterAll(async () => {
  await client.close();
  await sim.close();
});

describe('contacts', () => {
  it('people only corresponded with are in no address book and in no .vcf', async () => {
    const adapter = new ContactsAdapter();
    const ctx = contextFor(client, SERVICE);
    const books = (await collect(adapter.list(ctx, parseId(SERVICE)!, SERVICE))).flatMap((p) => p.nodes);
    expect(books.length).toBeGreaterThan(1);
    const names: string[] = [];
    let vcf = '';
    for (const book of books) {
      const pages = await collect(adapter.list(ctx, parseId(book.id)!, book.id));
      names.push(...pages.flatMap((p) => p.nodes.map((n) => `${n.name} ${n.subtitle ?? ''}`)));
      const job = await adapter.job(ctx, parseId(book.id)!);
      const [item] = (await collect(job.items)) as DownloadItem[];
      vcf += new TextDecoder().decode(await item!.content!());
    }
    expect(names.length).toBe(40);
    for (const text of [names.join('\n'), vcf]) {
      expect(text).not.toContain('olivia.martin@example.fr');
      expect(text).not.toContain('noreply@veranstaltung-example.ch');
      expect(text).not.toContain('Rechnungsversand');
    }
    // A correspondent's id is not a contact either.
    const crafted = childId(books[0]!.id, 'ct', 900_002);
    await expect(adapter.job(ctx, parseId(crafted)!)).rejects.toThrow(/no longer exists/);
  });
});
