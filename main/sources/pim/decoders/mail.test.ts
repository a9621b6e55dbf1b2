import { describe, expect, it } from 'vitest';
import { decodeMailboxes, decodeMailFolders, decodeMailMessages, decodeMailThreads } from './mail';

describe('mail decoders', () => {
  it('reads mailboxes', () => {
    const d = decodeMailboxes({
      result: 'success',
      data: [
        { uuid: 'u1', email: 'me@ik.me', mailbox: 'me', is_primary: true, mailbox_id: 12, unseen_messages: '3' },
        { email: 'no-uuid@ik.me' },
      ],
    });
    expect(d.items).toEqual([
      { uuid: 'u1', email: 'me@ik.me', mailbox: 'me', is_primary: true, mailbox_id: '12', unseen_messages: 3 },
    ]);
    expect(d.skipped).toBe(1);
  });

  it('reads folders recursively, dropping a bad child', () => {
    const d = decodeMailFolders({
      result: 'success',
      data: [
        {
          id: 'INBOX',
          name: 'Inbox',
          role: 'INBOX',
          unread_count: 2,
          total_count: 10,
          children: [{ id: 'INBOX/Work', name: 'Work', children: [{ id: 7, name: 'Deep' }] }, { name: 'bad' }],
        },
        { id: 'Sent', name: 'Sent', role: 'SENT' },
      ],
    });
    expect(d.skipped).toBe(0);
    expect(d.items[0]).toEqual({
      id: 'INBOX',
      name: 'Inbox',
      role: 'inbox',
      unread_count: 2,
      total_count: 10,
      children: [{ id: 'INBOX/Work', name: 'Work', children: [{ id: '7', name: 'Deep', children: [] }] }],
    });
    expect(d.items[1]!.children).toEqual([]);
    expect(decodeMailFolders({ data: { folders: [{ id: 1, name: 'A' }] } }).items).toHaveLength(1);
  });

  it('reads threads with messages, and messages given as threads', () => {
    const raw = {
      result: 'success',
      data: {
        count: 42,
        threads: [
          {
            uid: 't1',
            messages: [
              {
                uid: 'm1',
                subject: 'Hi',
                from: [{ email: 'a@x.ch', name: 'A' }],
                date: '2025-03-10T10:00:00+01:00',
                resource: '/api/mail/u/folder/f/message/m1',
                seen: 1,
              },
              { uid: 'm2', subject: 'Re: Hi', from: { email: 'b@x.ch' }, date: 1741600800 },
            ],
          },
          { id: 'm3', subject: 'Solo', from: 'Carla <c@x.it>', date: '2025-03-11T08:00:00Z' },
          { messages: [] },
          { subject: 'no id' },
        ],
      },
    };
    const threads = decodeMailThreads(raw);
    expect(threads.total).toBe(42);
    expect(threads.skipped).toBe(2);
    expect(threads.items.map((t) => [t.id, t.subject, t.messages.length])).toEqual([
      ['t1', 'Hi', 2],
      ['m3', 'Solo', 1],
    ]);
    expect(threads.items[0]!.date).toBe(Date.parse('2025-03-10T10:00:00Z'));

    const messages = decodeMailMessages(raw);
    expect(messages.items.map((m) => m.uid)).toEqual(['m1', 'm2', 'm3']);
    expect(messages.items[0]).toEqual({
      uid: 'm1',
      subject: 'Hi',
      from: [{ email: 'a@x.ch', name: 'A' }],
      date: Date.parse('2025-03-10T09:00:00Z'),
      resource: '/api/mail/u/folder/f/message/m1',
      seen: true,
    });
    expect(messages.items[1]!.date).toBe(1741600800 * 1000);
    expect(messages.items[2]!.from).toEqual([{ email: 'c@x.it', name: 'Carla' }]);
    expect(messages.total).toBe(42);
  });

  it('a thread with a message that does not decode is skipped as a whole (counted), never shown short of it', () => {
    const threads = decodeMailThreads({
      data: {
        threads: [
          { uid: 't1', messages: [{ uid: 'm1', subject: 'ok', has_attachments: true }, { subject: 'no uid' }] },
          { uid: 't2', messages: [{ uid: 'm2', subject: 'fine', has_attachments: false }] },
        ],
      },
    });
    expect(threads.skipped).toBe(1);
    expect(threads.items.map((t) => t.messages.map((m) => [m.uid, m.attachments]))).toEqual([[['m2', false]]]);
  });
});
