/**
 * One dispatcher for every channel of the contract, used by both transports (Electron IPC and the
 * browser host's WebSocket). It checks the sender, parses the argument with the channel's schema,
 * calls the one handler, and returns a Result. Nothing thrown crosses the boundary raw.
 */
import { channels } from '../../shared/ipc/contract';
import type { ChannelArg, ChannelName, ChannelOutput, EventName, EventPayload } from '../../shared/ipc/contract';
import { err } from '../../shared/model/errors';
import { carriedAppError } from '../errors/app-error';
import type { Result } from '../../shared/model/errors';

/** Who is calling, as the transport saw it. */
export interface CallContext {
  /** The URL of the calling frame (Electron) or the Origin of the WebSocket (host). */
  senderUrl: string;
  transport: 'electron' | 'websocket';
}

export type Handler<C extends ChannelName> = (
  arg: ChannelArg<C>,
  ctx: CallContext,
) => Promise<ChannelOutput<C>> | ChannelOutput<C>;

/** Exactly one handler per channel: the mapped type rejects a missing or an extra one. */
export type Handlers = { [C in ChannelName]: Handler<C> };

export interface Router {
  dispatch(channel: string, rawArg: unknown, ctx: CallContext): Promise<Result<unknown>>;
}

export interface RouterOptions {
  isTrustedSender(ctx: CallContext): boolean;
  /** Called with unexpected errors (bugs) so they are logged; the caller gets `internal`. */
  onInternalError?(channel: string, error: unknown): void;
}

export function createRouter(handlers: Handlers, options: RouterOptions): Router {
  return {
    async dispatch(channel, rawArg, ctx) {
      if (!Object.hasOwn(channels, channel)) {
        return {
          ok: false,
          error: {
            code: 'validation',
            reason: 'unknown_channel',
            message: `Unknown channel "${channel.slice(0, 80)}".`,
          },
        };
      }
      if (!options.isTrustedSender(ctx)) {
        return err('untrusted_sender', 'This request did not come from the app.');
      }
      const name = channel as ChannelName;
      const parsed = channels[name].input.safeParse(rawArg);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = issue?.path.join('.') ?? '';
        return err(
          'validation',
          issue ? `${path ? `${path}: ` : ''}${issue.message}` : 'Invalid argument.',
          path ? { path } : undefined,
        );
      }
      try {
        const handler = handlers[name] as Handler<typeof name>;
        const value = await handler(parsed.data as never, ctx);
        return { ok: true, value };
      } catch (error) {
        const appError = carriedAppError(error);
        if (appError) return { ok: false, error: appError };
        options.onInternalError?.(name, error);
        return err('internal', 'Something went wrong inside the app. The details were written to the log.');
      }
    },
  };
}

/** Main → renderer events. Transports subscribe; services only call `emit`. */
export interface EventBus {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  return {
    emit(event, payload) {
      for (const listener of listeners) listener(event, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
