import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { decodeContacts, type PimContact } from './schemas';
import { expectContentLines } from './test-support';
import { contactsToVcf, contactToVcf, type VcardVersion } from './vcard';

// A fake JPEG: the magic bytes, then enough data for the PHOTO line to fold many times.
const JPEG_BYTES = Uint8Array.from({ length: 600 }, (_, i) => (i < 4 ? [0xff, 0xd8, 0xff, 0xe0][i]! : (i * 37) % 256));
const JPEG_BASE64 = Buffer.from(JPEG_BYTES).toString('base64');
const NOTE = 'Met at the conf, 2024; likes ☕ and 🥐\nSecond line with a \\ backslash';

const RAW_CONTACTS = [
  {
    id: 1,
    uuid: '0F8FAD5B-D9CB-469F-A165-70867728950E',
    addressbook_id: 3,
    name: 'Anna Müller-Lüdenscheidt',
    firstname: 'Anna',
    lastname: 'Müller-Lüdenscheidt',
    organization: 'Infomaniak; Network, SA',
    title: 'Engineer',
    note: NOTE,
    birthday: '1985-04-12',
    emails: [
      { value: 'anna@work.ch', type: 'work' },
      { email: 'anna@home.de', label: 'private', pref: 1 },
      'anna@other.org',
    ],
    phones: [
      { number: '+41 79 123 45 67', type: 'mobile' },
      { value: '+41 44 000 00 00', type: 'work' },
      { value: '+41 44 000 00 01', type: 'work_fax' },
    ],
    addresses: [
      { street: 'Bahnhofstrasse 1', city: 'Zürich', zip: '8001', country: 'Switzerland', type: 'work' },
      {
        street: 'Rue de la Paix 5; 2e étage',
        city: 'Genève',
        postal_code: '1201',
        region: 'GE',
        country: 'CH',
        type: 'home',
      },
    ],
    photo: `data:image/jpeg;base64,${JPEG_BASE64}`,
  },
  { id: 2, name: 'O\'Brien, "Pat"; 😀 Ünïcödé', emails: ['pat@example.ie'], photo: 'https://example.com/pat.jpg' },
  { id: 3 },
  { id: 4, emails: [{ address: 'only@mail.example' }] },
];

function contacts(): PimContact[] {
  const d = decodeContacts({ result: 'success', data: RAW_CONTACTS });
  expect(d.skipped).toBe(0);
  return d.items;
}

type JProp = [string, Record<string, unknown>, string, ...unknown[]];
type JCard = ['vcard', JProp[], unknown[]];

function parseCards(text: string): JCard[] {
  const parsed = ICAL.parse(text) as unknown[];
  return (parsed[0] === 'vcard' ? [parsed] : parsed) as JCard[];
}

function props(card: JCard, name: string): JProp[] {
  return card[1].filter((p) => p[0] === name);
}

function value(card: JCard, name: string): unknown {
  return props(card, name)[0]?.[3];
}

/** TYPE parameters, lower-cased, without 3.0's INTERNET. */
function types(p: JProp): string[] {
  const t = p[1].type;
  const list = (Array.isArray(t) ? t : t === undefined ? [] : [t]) as string[];
  return list.map((x) => x.toLowerCase()).filter((x) => x !== 'internet');
}

/**
 * ical.js's vCard parser does not undo `\;` in single-valued text (it treats `;` as plain there,
 * as vCard 4.0 does), while RFC 2426 requires 3.0 writers to escape it; undo that one step here.
 */
function text3(version: VcardVersion, v: unknown): unknown {
  return version === '3.0' && typeof v === 'string' ? v.replace(/\\;/g, ';') : v;
}

describe.each(['3.0', '4.0'] as const)('vCard %s', (version) => {
  const all = contacts();
  const vcf = contactsToVcf(all, { version });
  const cards = parseCards(vcf);

  it('writes content lines: CRLF, at most 75 octets, UTF-8 never split', () => {
    expectContentLines(vcf);
    expect(vcf.split('\r\n ').length).toBeGreaterThan(10); // the photo folds many times
  });

  it('writes one card per contact', () => {
    expect(cards).toHaveLength(all.length);
    for (const card of cards) {
      expect(card[0]).toBe('vcard');
      expect(card[1][0]).toEqual(['version', {}, 'text', version]);
    }
  });

  it('round-trips the full contact', () => {
    const card = cards[0]!;
    expect(value(card, 'fn')).toBe('Anna Müller-Lüdenscheidt');
    expect(value(card, 'n')).toEqual(['Müller-Lüdenscheidt', 'Anna', '', '', '']);
    expect(value(card, 'org')).toBe('Infomaniak; Network, SA');
    expect(text3(version, value(card, 'title'))).toBe('Engineer');
    expect(text3(version, value(card, 'note'))).toBe(NOTE);

    expect(props(card, 'email').map((p) => [p[3], types(p), p[1].pref])).toEqual([
      ['anna@work.ch', ['work'], undefined],
      version === '3.0' ? ['anna@home.de', ['home', 'pref'], undefined] : ['anna@home.de', ['home'], '1'],
      ['anna@other.org', [], undefined],
    ]);
    expect(props(card, 'tel').map((p) => [p[3], types(p)])).toEqual([
      ['+41 79 123 45 67', ['cell']],
      ['+41 44 000 00 00', ['work']],
      ['+41 44 000 00 01', ['work', 'fax']],
    ]);
    expect(props(card, 'adr').map((p) => [p[3], types(p)])).toEqual([
      [['', '', 'Bahnhofstrasse 1', 'Zürich', '', '8001', 'Switzerland'], ['work']],
      [['', '', 'Rue de la Paix 5; 2e étage', 'Genève', 'GE', '1201', 'CH'], ['home']],
    ]);

    expect(value(card, 'bday')).toBe('1985-04-12');
    const photo = props(card, 'photo')[0]!;
    if (version === '3.0') {
      expect(photo[1]).toEqual({ encoding: 'b', type: 'JPEG' });
      expect(photo[3]).toBe(JPEG_BASE64);
      expect(vcf).toContain('PHOTO;ENCODING=b;TYPE=JPEG:');
      expect(value(card, 'uid')).toBe('0F8FAD5B-D9CB-469F-A165-70867728950E');
    } else {
      expect(photo[3]).toBe(`data:image/jpeg;base64,${JPEG_BASE64}`);
      // The data URI's comma is not escaped.
      expect(vcf.replace(/\r\n /g, '')).toContain(`PHOTO:data:image/jpeg;base64,${JPEG_BASE64}\r\n`);
      expect(value(card, 'uid')).toBe('urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e');
    }
    expect(Buffer.from(String(photo[3]).replace(/^data:[^,]*,/, ''), 'base64')).toEqual(Buffer.from(JPEG_BYTES));
  });

  it('round-trips special characters and leaves remote photos out', () => {
    const card = cards[1]!;
    expect(text3(version, value(card, 'fn'))).toBe('O\'Brien, "Pat"; 😀 Ünïcödé');
    expect(props(card, 'email').map((p) => p[3])).toEqual(['pat@example.ie']);
    expect(props(card, 'photo')).toHaveLength(0);
    expect(vcf).not.toContain('example.com');
  });

  it('falls back for FN: "Unnamed", then the e-mail', () => {
    expect(value(cards[2]!, 'fn')).toBe('Unnamed');
    expect(value(cards[2]!, 'n')).toEqual(['', '', '', '', '']);
    expect(text3(version, value(cards[3]!, 'fn'))).toBe('only@mail.example');
    expect(String(value(cards[3]!, 'uid'))).toContain('4@poweron-sources');
  });

  it('exports a single contact as a single card', () => {
    const one = contactToVcf(all[1]!, { version });
    expectContentLines(one);
    expect(parseCards(one)).toHaveLength(1);
    expect(one.startsWith(`BEGIN:VCARD\r\nVERSION:${version}\r\n`)).toBe(true);
    expect(one.endsWith('END:VCARD\r\n')).toBe(true);
  });
});

describe('contactsToVcf', () => {
  it('defaults to vCard 3.0', () => {
    expect(contactToVcf({ id: '1', name: 'X' })).toContain('\r\nVERSION:3.0\r\n');
  });

  it('escapes per version: `;` in 3.0 text, never in 4.0 single values; `,` always', () => {
    const c: PimContact = { id: '1', name: 'A; B, C', note: 'x;y' };
    const v3 = contactToVcf(c, { version: '3.0' });
    const v4 = contactToVcf(c, { version: '4.0' });
    expect(v3).toContain('\r\nFN:A\\; B\\, C\r\n');
    expect(v3).toContain('\r\nNOTE:x\\;y\r\n');
    expect(v4).toContain('\r\nFN:A; B\\, C\r\n');
    expect(v4).toContain('\r\nNOTE:x;y\r\n');
  });

  it('writes a year-less birthday in each version’s form', () => {
    const c: PimContact = { id: '1', name: 'X', birthday: '--04-12' };
    expect(contactToVcf(c, { version: '3.0' })).toContain('\r\nBDAY:--04-12\r\n');
    expect(contactToVcf(c, { version: '4.0' })).toContain('\r\nBDAY:--0412\r\n');
  });

  it('is empty for no contacts', () => {
    expect(contactsToVcf([], { version: '4.0' })).toBe('');
  });
});
