/** Mailboxes, folders and messages of a scenario. */
import { z } from 'zod';
import { posInt, TimeSpec } from './spec-values';

/** The raw `.eml` route: answers, 403 `access_denied`, 404 (no such route), or 302 to the login page. */
export const MAIL_RAW_MODES = ['ok', 'forbidden', 'missing', 'redirect'] as const;
export type MailRawMode = (typeof MAIL_RAW_MODES)[number];

const Address = z.strictObject({ name: z.string().default(''), email: z.string() });

export const MessageSpec = z.strictObject({
  uid: z.string().optional(),
  subject: z.string(),
  from: Address,
  to: z.array(Address).min(1),
  cc: z.array(Address).default([]),
  date: TimeSpec,
  body: z.string(),
  html: z.string().optional(),
  seen: z.boolean().default(true),
  flagged: z.boolean().default(false),
  /** Messages sharing a thread key are listed as one thread. */
  thread: z.string().optional(),
  attachments: z
    .array(
      z.strictObject({
        name: z.string(),
        mime_type: z.string().default('application/octet-stream'),
        text: z.string().optional(),
        base64: z.string().optional(),
      }),
    )
    .default([]),
  /** A raw RFC 5322 message served as-is instead of the generated one. */
  eml: z.string().optional(),
});

export interface MailFolderSpec {
  id?: string | undefined;
  name: string;
  role?: string | null | undefined;
  children?: MailFolderSpec[] | undefined;
  messages?: z.output<typeof MessageSpec>[] | undefined;
}
export interface MailFolderSpecInput {
  id?: string | undefined;
  name: string;
  role?: string | null | undefined;
  children?: MailFolderSpecInput[] | undefined;
  messages?: z.input<typeof MessageSpec>[] | undefined;
}

export const MailFolderSchema: z.ZodType<MailFolderSpec, MailFolderSpecInput> = z.lazy(() =>
  z.strictObject({
    id: z.string().optional(),
    name: z.string().min(1),
    role: z.string().nullable().optional(),
    children: z.array(MailFolderSchema).optional(),
    messages: z.array(MessageSpec).optional(),
  }),
);

export const MailboxSpec = z.strictObject({
  uuid: z.string().optional(),
  email: z.string(),
  is_primary: z.boolean().default(false),
  mailbox_id: posInt().optional(),
  hosting_id: posInt().optional(),
  folders: z.array(MailFolderSchema).default([]),
});
