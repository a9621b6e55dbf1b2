/**
 * The renderer-facing API, derived from the contract: one named method per channel
 * (`connections:add` → `connectionsAdd`) and one subscription helper per event
 * (`sources:page` → `onSourcesPage`). Both transports (Electron preload, browser host WebSocket)
 * implement exactly this shape.
 */
import type { AppError, Result } from '../model/errors';
import { CHANNEL_NAMES, EVENT_NAMES } from './names';
import type { ChannelInput, ChannelName, ChannelOutput, EventName, EventPayload } from './contract';

type Camel<S extends string> = S extends `${infer D}:${infer V}` ? `${D}${Capitalize<V>}` : never;
export type MethodName<C extends ChannelName> = Camel<C>;
export type SubscriptionName<E extends EventName> = `on${Capitalize<Camel<E>>}`;

type MethodFor<C extends ChannelName> =
  undefined extends ChannelInput<C>
    ? (arg?: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>
    : (arg: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;

export type PowerOnApi = {
  [C in ChannelName as MethodName<C>]: MethodFor<C>;
} & {
  [E in EventName as SubscriptionName<E>]: (listener: (payload: EventPayload<E>) => void) => () => void;
};

export function methodName<C extends ChannelName>(channel: C): MethodName<C> {
  const [domain, verb] = channel.split(':') as [string, string];
  return `${domain}${verb.charAt(0).toUpperCase()}${verb.slice(1)}` as MethodName<C>;
}

export function subscriptionName<E extends EventName>(event: E): SubscriptionName<E> {
  const camel = methodName(event as unknown as ChannelName) as string;
  return `on${camel.charAt(0).toUpperCase()}${camel.slice(1)}` as SubscriptionName<E>;
}

/**
 * Builds the API object from two primitives a transport provides. Used by the preload (over
 * ipcRenderer) and the renderer's WebSocket transport. Only named methods come out; the
 * primitives themselves are not exposed.
 */
export function buildApi(
  invoke: (channel: ChannelName, arg: unknown) => Promise<Result<unknown>>,
  subscribe: (event: EventName, listener: (payload: unknown) => void) => () => void,
): PowerOnApi {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNEL_NAMES) {
    api[methodName(channel)] = (arg?: unknown) => invoke(channel, arg);
  }
  for (const event of EVENT_NAMES) {
    api[subscriptionName(event)] = (listener: (payload: unknown) => void) => subscribe(event, listener);
  }
  return Object.freeze(api) as PowerOnApi;
}

/** A transport failure (e.g. the host went away) as a Result, so callers handle one shape. */
export function transportError(message: string): { ok: false; error: AppError } {
  return { ok: false, error: { code: 'network', message } };
}
