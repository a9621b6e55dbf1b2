/**
 * Channel and event names of the contract, as plain data (no zod): the preload and the renderer
 * need only these, and a sandboxed preload cannot load libraries. contract.ts checks at compile
 * time that its channels and events are exactly these names.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'app:openPage',
  'app:copyText',
  'settings:get',
  'settings:set',
  'settings:chooseDownloadsDir',
  'vault:status',
  'connections:list',
  'connections:add',
  'connections:replaceToken',
  'connections:remove',
  'connections:confirmEndpoints',
  'connections:startDemo',
  'sources:roots',
  'sources:list',
  'sources:cancel',
  'sources:refresh',
  'sources:openWebApp',
  'sources:search',
  'sources:cancelSearch',
  'sources:versions',
  'sources:downloadVersion',
  'sources:preview',
  'transfers:download',
  'transfers:list',
  'transfers:cancel',
  'transfers:retry',
  'transfers:open',
  'transfers:reveal',
  'transfers:clearFinished',
  'transfers:listExisting',
  'transfers:resolveExisting',
  'drag:start',
  'drag:release',
  'drag:link',
  'sync:list',
  'sync:create',
  'sync:preview',
  'sync:run',
  'sync:pause',
  'sync:remove',
  'sync:openFolder',
  'sync:decide',
] as const;

export const EVENT_NAMES = [
  'app:notice',
  'app:command',
  'settings:changed',
  'connections:changed',
  'connections:progress',
  'sources:page',
  'sources:rootsChanged',
  'transfers:changed',
  'transfers:existing',
  'drag:states',
  'sync:changed',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];
export type EventName = (typeof EVENT_NAMES)[number];
