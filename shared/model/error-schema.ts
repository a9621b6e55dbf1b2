/**
 * The one zod schema of an AppError as data: what crosses the host's WebSocket, what a transfer
 * record and a sync pair's last run keep on disk. Read back from a file written by another version,
 * an unknown reason or a param of the wrong type is dropped (the words fall back to the code's),
 * never the whole record.
 */
import { z } from 'zod';
import { ALL_REASONS, ERROR_CODES } from './errors';
import type { AppError, ErrorReason } from './errors';

const text = (max: number) => z.string().max(max).optional().catch(undefined);
const number = z.number().finite().optional().catch(undefined);

export const errorParamsSchema = z.object({
  name: text(1024),
  path: text(4096),
  host: text(253),
  detail: text(200),
  limit: number,
  count: number,
  list: z.array(z.string().max(1024)).max(50).optional().catch(undefined),
});

export const appErrorDetailsSchema = z.object({
  status: z.number().optional(),
  apiCode: z.string().max(200).optional(),
  scope: z.string().max(200).optional(),
  retryAfterMs: z.number().optional(),
  step: z.string().max(200).optional(),
  path: z.string().max(2000).optional(),
});

export const appErrorSchema = z
  .object({
    code: z.enum(ERROR_CODES),
    // A longer message (a log line) is cut, not refused: it is English detail, not the words.
    message: z
      .string()
      .transform((m) => m.slice(0, 2000))
      .catch((ctx) => (typeof ctx.input === 'string' ? ctx.input.slice(0, 2000) : '')),
    reason: z
      .enum(ALL_REASONS as [ErrorReason, ...ErrorReason[]])
      .optional()
      .catch(undefined),
    params: errorParamsSchema.optional().catch(undefined),
    details: appErrorDetailsSchema.optional().catch(undefined),
  })
  .transform((e): AppError => {
    const out: AppError = { code: e.code, message: e.message };
    if (e.reason) out.reason = e.reason;
    if (e.params) out.params = dropUndefined(e.params);
    if (e.details) out.details = dropUndefined(e.details);
    return out;
  });

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
