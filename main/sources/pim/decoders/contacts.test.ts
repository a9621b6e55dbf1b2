import { describe, expect, it } from 'vitest';
import { decodeAddressBooks, decodeContacts } from './contacts';

describe('decodeAddressBooks', () => {
  it('reads data.addressbooks [seen] and data[]; default as 0/1', () => {
    const ab = [
      { id: 1, uuid: 'u-1', name: 'Personal', default: 1, account_name: 'kSuite' },
      { id: 2, name: 'Team', default: false },
      { uuid: 'no-id' },
    ];
    const a = decodeAddressBooks({ result: 'success', data: { addressbooks: ab } });
    const b = decodeAddressBooks({ result: 'success', data: ab });
    expect(a).toEqual(b);
    expect(a.items).toEqual([
      { id: '1', uuid: 'u-1', name: 'Personal', default: true, account_name: 'kSuite' },
      { id: '2', name: 'Team', default: false },
    ]);
    expect(a.skipped).toBe(1);
  });
});

describe('decodeContacts', () => {
  it('reads e-mails and phones as strings or as objects', () => {
    const d = decodeContacts({
      result: 'success',
      data: [
        { id: 1, name: 'A', emails: ['a@x.ch', 'b@x.ch'], phones: ['+41 1'] },
        {
          id: 2,
          name: 'B',
          emails: [
            { value: 'c@x.ch', type: 'work' },
            { email: 'd@x.ch', label: 'Home' },
            { address: 'e@x.ch', types: ['pref', 'work'] },
            { nothing: 1 },
          ],
          phones: [{ number: '+41 2', type: 'mobile' }, { value: '+41 3' }, { phone: '+41 4', label: 'Work, Fax' }],
        },
      ],
    });
    expect(d.skipped).toBe(0);
    expect(d.items[0]!.emails).toEqual([
      { value: 'a@x.ch', types: [] },
      { value: 'b@x.ch', types: [] },
    ]);
    expect(d.items[0]!.phones).toEqual([{ value: '+41 1', types: [] }]);
    expect(d.items[1]!.emails).toEqual([
      { value: 'c@x.ch', types: ['work'] },
      { value: 'd@x.ch', types: ['home'] },
      { value: 'e@x.ch', types: ['pref', 'work'] },
    ]);
    expect(d.items[1]!.phones).toEqual([
      { value: '+41 2', types: ['mobile'] },
      { value: '+41 3', types: [] },
      { value: '+41 4', types: ['work', 'fax'] },
    ]);
  });

  it('reads addresses as objects (zip or postal_code) or strings', () => {
    const [c] = decodeContacts([
      {
        id: 1,
        addresses: [
          { street: 'Rue 1', city: 'Genève', zip: '1200', country: 'CH', type: 'home' },
          { street: ['Line 1', 'Line 2'], locality: 'Bern', postal_code: '3000', state: 'BE' },
          'Somewhere 5, 8000 Zürich',
          {},
        ],
      },
    ]).items;
    expect(c!.addresses).toEqual([
      { street: 'Rue 1', locality: 'Genève', postal_code: '1200', country: 'CH', types: ['home'] },
      { street: 'Line 1\nLine 2', locality: 'Bern', postal_code: '3000', region: 'BE', types: [] },
      { street: 'Somewhere 5, 8000 Zürich', types: [] },
    ]);
  });

  it('keeps only embedded photos', () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const d = decodeContacts([
      { id: 1, photo: `data:image/png;base64,${png}` },
      { id: 2, photo: png },
      { id: 3, photo: 'https://example.com/a.jpg' },
      { id: 4, photo: 'not base64 at all!' },
      { id: 5, avatar: { data: '/9j/4AAQSkZJRgABAQ==', mime: 'image/jpeg' } },
      { id: 6, photo: 'data:image/svg+xml,<svg/>' },
    ]);
    expect(d.skipped).toBe(0);
    expect(d.items.map((c) => c.photo)).toEqual([
      { mime: 'image/png', base64: png },
      { mime: 'image/png', base64: png },
      undefined,
      undefined,
      { mime: 'image/jpeg', base64: '/9j/4AAQSkZJRgABAQ==' },
      undefined,
    ]);
  });

  it('normalizes names, organization, birthday and ids; skips a record without id', () => {
    const d = decodeContacts({
      data: {
        contacts: [
          {
            id: 9,
            first_name: 'Jo',
            last_name: 'Do',
            company: { name: 'ACME' },
            birthday: '1990-05-06T00:00:00+02:00',
            addressbook_id: 3,
            uuid: 'abc',
          },
          { id: 10, birthday: '06.05.1990' },
          { id: 11, birthday: '--05-06' },
          { id: 12, birthday: 'someday' },
          { name: 'no id' },
        ],
      },
    });
    expect(d.skipped).toBe(1);
    expect(d.items[0]).toMatchObject({
      id: '9',
      uid: 'abc',
      addressbook_id: '3',
      firstname: 'Jo',
      lastname: 'Do',
      organization: 'ACME',
      birthday: '1990-05-06',
    });
    expect(d.items.slice(1).map((c) => c.birthday)).toEqual(['1990-05-06', '--05-06', undefined]);
  });
});
