/**
 * The browser host's WebSocket messages, declared once: the page sends `call` frames, the host
 * answers with `result` frames and pushes `event` frames. Both ends decode every frame with these
 * schemas and drop what does not fit (main/host/server.ts, renderer/src/api/transport.ts).
 */
import { z } from 'zod';
import { appErrorSchema } from '../model/error-schema';
import { EVENT_NAMES } from './names';

/** Largest frame either side accepts (the host's WebSocket maxPayload). */
export const HOST_MAX_FRAME_BYTES = 4 * 1024 * 1024;

const callId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** page → host: one contract call. `channel` is checked against the contract by the router. */
export const hostCall = z
  .object({
    t: z.literal('call'),
    id: callId,
    channel: z.string().min(1).max(64),
    arg: z.unknown().optional(),
  })
  .strict();

/** host → page: the Result of one call, or one pushed event. */
export const hostReply = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('result'),
    id: callId,
    result: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: appErrorSchema }),
    ]),
  }),
  z.object({ t: z.literal('event'), event: z.enum(EVENT_NAMES), payload: z.unknown() }),
]);

export type HostCall = z.infer<typeof hostCall>;
export type HostReply = z.infer<typeof hostReply>;

/** Parses one text frame; null when it is not JSON or does not fit `schema`. */
export function decodeFrame<T>(schema: z.ZodType<T>, text: string): T | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
