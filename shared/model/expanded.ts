/**
 * The expanded folders of the Sources tree as the renderer keeps them across reloads: per
 * connection (its root node id), the most recently expanded node ids, oldest first. Bounded.
 */
import { z } from 'zod';

export const MAX_EXPANDED_PER_CONNECTION = 500;
export const MAX_EXPANDED_CONNECTIONS = 50;

export const expandedMemorySchema = z
  .record(z.string().min(1).max(512), z.array(z.string().min(1).max(512)).max(MAX_EXPANDED_PER_CONNECTION))
  .refine((r) => Object.keys(r).length <= MAX_EXPANDED_CONNECTIONS, 'Too many connections.');
export type ExpandedMemoryData = z.infer<typeof expandedMemorySchema>;
