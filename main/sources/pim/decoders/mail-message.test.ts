import { describe, expect, it } from 'vitest';
import { requireMailList, decodeMailboxes, decodeMailFolders, decodeMailThreads } from './mail';
import { decodeMailMessageDetail } from './mail-message';

const base = {
  uid: '1',
  msg_id: '<m-1@x.ch>',
  subject: 'Hi',
  from: [{ name: 'Sender', email: 'sender@test.com' }],
  to: [{ name: 'Receiver', email: 'receiver@test.com' }],
  date: '2024-01-01T10:00:00+01:00',
};

describe('one message (the .eml source)', () => {
  it('reads the published shape: body {value, type}, an html field, attachments with their resource', () => {
    const d = decodeMailMessageDetail({
      result: 'success',
      data: {
        ...base,
        cc: [],
        bcc: 'Hidden <h@x.ch>',
        body: { value: 'Hello', type: 'text/plain' },
        html: '<p>Hello</p>',
        in_reply_to: ['<a@x>'],
        references: ['<a@x>', '<b@x>'],
        attachments: [
          {
            part_id: 2,
            name: 'test.txt',
            mime_type: 'text/plain',
            size: 4,
            resource: '/api/mail/mb/folder/fid/message/1/attachment/2',
          },
          { uuid: 'u-9', name: 'logo.png', mime_type: 'image/png', disposition: 'INLINE', content_id: '<logo@x>' },
        ],
      },
    });
    expect(d).toMatchObject({
      uid: '1',
      msgId: '<m-1@x.ch>',
      subject: 'Hi',
      from: [{ name: 'Sender', email: 'sender@test.com' }],
      bcc: [{ name: 'Hidden', email: 'h@x.ch' }],
      date: Date.parse('2024-01-01T09:00:00Z'),
      text: 'Hello',
      html: '<p>Hello</p>',
      inReplyTo: '<a@x>',
      references: '<a@x> <b@x>',
    });
    expect(d.attachments).toEqual([
      {
        resource: '/api/mail/mb/folder/fid/message/1/attachment/2',
        id: '2',
        name: 'test.txt',
        mime: 'text/plain',
        size: 4,
      },
      { id: 'u-9', name: 'logo.png', mime: 'image/png', disposition: 'inline', contentId: 'logo@x' },
    ]);
  });

  it('reads an HTML body (prefered_format=html) and a body given as a string', () => {
    expect(
      decodeMailMessageDetail({ data: { ...base, body: { type: 'text/html', value: '<b>x</b>' } } }),
    ).toMatchObject({
      html: '<b>x</b>',
    });
    expect(decodeMailMessageDetail({ data: { ...base, body: 'plain' } })).toMatchObject({ text: 'plain' });
    expect(decodeMailMessageDetail({ data: base }).attachments).toEqual([]);
  });

  it('refuses what is not one message, or an attachment it could not fetch (never a quietly smaller .eml)', () => {
    expect(() => decodeMailMessageDetail({ data: [base] })).toThrow(/form this app does not know/);
    expect(() => decodeMailMessageDetail({ data: { subject: 'no id' } })).toThrow(/form this app does not know/);
    expect(() => decodeMailMessageDetail({ data: { ...base, attachments: { a: 1 } } })).toThrow(/attachments/);
    expect(() => decodeMailMessageDetail({ data: { ...base, attachments: [{ name: 'no id' }] } })).toThrow(
      /an attachment/,
    );
    expect(() => decodeMailMessageDetail({ data: { ...base, body: 42 } })).toThrow(/body/);
  });
});

describe('listings are parsed loudly', () => {
  it('an answer with no list in an accepted place is an error; an empty list is not', () => {
    expect(() => requireMailList(decodeMailboxes({ result: 'success', data: { x: 1 } }), 'mailboxes')).toThrow(
      /answered the mailboxes in a form/,
    );
    expect(() => requireMailList(decodeMailThreads({ data: 'nope' }), 'messages')).toThrow(/form/);
    expect(() => requireMailList(decodeMailFolders({ data: null }), 'folders')).toThrow(/form/);
    expect(requireMailList(decodeMailboxes({ result: 'success', data: [] }), 'mailboxes').items).toEqual([]);
    expect(requireMailList(decodeMailThreads({ data: { threads: [], count: 0 } }), 'messages').total).toBe(0);
  });
});
