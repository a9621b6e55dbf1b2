/**
 * Test support for sync: a simulator scenario of one account with one drive whose common documents
 * hold a `Project` folder. Used by *.test.ts only.
 */
import type { ScenarioInput } from '../../simulator/index';

export const SYNC_TOKEN = 'sync-token-0123456789';

type Drive = NonNullable<ScenarioInput['drives']>[number];
type Entries = NonNullable<NonNullable<Drive['tree']>['common']>;

/** One account, one drive `driveId` named "Sync", `/Common documents/Project` holding `project`. */
export function projectScenario(name: string, driveId: number, project: Entries): ScenarioInput {
  return {
    name,
    tokens: [{ value: SYNC_TOKEN, scopes: ['accounts', 'drive'] }],
    accounts: [{ id: 88, name: 'Sync AG', type: 'owner', legal_entity_type: 'company' }],
    drives: [{ id: driveId, name: 'Sync', account_id: 88, tree: { common: [{ name: 'Project', children: project }] } }],
  };
}

type Mailbox = NonNullable<NonNullable<ScenarioInput['mail']>['mailboxes']>[number];
export type MailFolderInput = NonNullable<Mailbox['folders']>[number];

/** Mail open for `SYNC_TOKEN`: one mailbox `me@sync.example` with these folders. */
export function mailScenario(name: string, folders: MailFolderInput[]): ScenarioInput {
  return {
    name,
    tokens: [{ value: SYNC_TOKEN, scopes: ['accounts', 'workspace:mail'] }],
    accounts: [{ id: 88, name: 'Sync AG', type: 'owner', legal_entity_type: 'company' }],
    mail: { mode: 'open', mailboxes: [{ email: 'me@sync.example', is_primary: true, folders }] },
  };
}

/** `count` plain messages `Message 1`…, a day apart, read (seen) unless said otherwise. */
export function mailMessages(count: number, seen = true): NonNullable<MailFolderInput['messages']> {
  return Array.from({ length: count }, (_, i) => ({
    subject: `Message ${i + 1}`,
    from: { name: 'Anna Muster', email: 'anna@sync.example' },
    to: [{ email: 'me@sync.example' }],
    date: `-${i + 1}d`,
    body: `Body of message ${i + 1}.`,
    seen,
  }));
}
