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
