/**
 * The scenario file format (JSON), validated with zod. A scenario describes everything the simulator
 * serves: tokens, accounts, drives and their trees, calendars, address books and mail.
 * Keys are snake_case like the API. See README.md for a walk-through.
 * The parts live one file each: `spec-values.ts`, `account-spec.ts`, `drive-spec.ts`, `pim-spec.ts`,
 * `mail-spec.ts`, `settings-spec.ts`; this file composes them and names the types the models use.
 */
import { z } from 'zod';
import { AccountSpec, PersonSpec, TokenSpec, UserSpec } from './account-spec';
import type { ContentSpec, GenerateSpec, NodeFaultSpec } from './drive-spec';
import { DriveSpec } from './drive-spec';
import type { MessageSpec } from './mail-spec';
import { MAIL_RAW_MODES, MailboxSpec } from './mail-spec';
import type { ContactSpec, EventSpec } from './pim-spec';
import { AddressBookSpec, CalendarSpec, CorrespondentSpec } from './pim-spec';
import { SettingsSpec } from './settings-spec';
import { TimeSpec } from './spec-values';

export type { HashStyle, NodeSpec } from './drive-spec';
export type { MailFolderSpec, MailRawMode } from './mail-spec';

export const ScenarioSchema = z
  .strictObject({
    name: z.string(),
    description: z.string().default(''),
    /** Anchor of relative file times; default: the simulator's now. */
    epoch: TimeSpec.optional(),
    user: UserSpec.optional(),
    /** Other people: who shared items with the user, who made file versions. */
    people: z.array(PersonSpec).default([]),
    settings: SettingsSpec.default(SettingsSpec.parse({})),
    tokens: z.array(TokenSpec).min(1, 'a scenario needs at least one token'),
    accounts: z.array(AccountSpec).default([]),
    drives: z.array(DriveSpec).default([]),
    calendars: z.array(CalendarSpec).default([]),
    addressbooks: z.array(AddressBookSpec).default([]),
    correspondents: z.array(CorrespondentSpec).default([]),
    mail: z
      .strictObject({
        mode: z.enum(['open', 'blocked']).default('blocked'),
        /** How the raw `.eml` route answers in open mode (not known for a personal token). */
        raw_download: z.enum(MAIL_RAW_MODES).default('ok'),
        mailboxes: z.array(MailboxSpec).default([]),
      })
      .default({ mode: 'blocked', raw_download: 'ok', mailboxes: [] }),
  })
  .superRefine((s, ctx) => {
    const accountIds = new Set<number>();
    s.accounts.forEach((a, i) => {
      if (accountIds.has(a.id)) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'id'], message: 'duplicate id' });
      accountIds.add(a.id);
    });
    const tokens = new Set<string>();
    s.tokens.forEach((t, i) => {
      if (tokens.has(t.value)) ctx.addIssue({ code: 'custom', path: ['tokens', i, 'value'], message: 'duplicate' });
      tokens.add(t.value);
      t.accounts?.forEach((a, j) => {
        if (!accountIds.has(a)) {
          ctx.addIssue({ code: 'custom', path: ['tokens', i, 'accounts', j], message: `unknown account ${a}` });
        }
      });
    });
    const driveIds = new Set<number>();
    s.drives.forEach((d, i) => {
      if (driveIds.has(d.id)) ctx.addIssue({ code: 'custom', path: ['drives', i, 'id'], message: 'duplicate id' });
      driveIds.add(d.id);
      // A drive of another organisation: reached as a member (shared_with_user) or only through shares.
      if (!accountIds.has(d.account_id) && !d.shared_with_user && d.shared_with_me.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['drives', i, 'account_id'], message: `unknown account ${d.account_id}` });
      }
      d.extra_account_ids.forEach((a, j) => {
        if (!accountIds.has(a)) {
          ctx.addIssue({
            code: 'custom',
            path: ['drives', i, 'extra_account_ids', j],
            message: `unknown account ${a}`,
          });
        }
      });
    });
  });

/** What a scenario file contains (defaults not yet applied). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
/** A validated scenario, defaults applied. */
export type Scenario = z.output<typeof ScenarioSchema>;
export type DriveScenario = z.output<typeof DriveSpec>;
export type PersonScenario = z.output<typeof PersonSpec>;
export type GenerateRule = z.output<typeof GenerateSpec>;
export type Content = z.output<typeof ContentSpec>;
export type NodeFault = z.output<typeof NodeFaultSpec>;
export type EventScenario = z.output<typeof EventSpec>;
export type CalendarScenario = z.output<typeof CalendarSpec>;
export type ContactScenario = z.output<typeof ContactSpec>;
export type AddressBookScenario = z.output<typeof AddressBookSpec>;
export type CorrespondentScenario = z.output<typeof CorrespondentSpec>;
export type MailboxScenario = z.output<typeof MailboxSpec>;
export type MessageScenario = z.output<typeof MessageSpec>;
export type Settings = z.output<typeof SettingsSpec>;
