/**
 * Node ids: a readable path of typed segments, e.g.
 *   conn:<cid>/kdrive/drive:764000/f:123
 *   conn:<cid>/calendar/cal:1/ev:42
 * Values are URI-encoded so no API value can break the structure.
 */
import type { ServiceId } from '../../shared/model/connection';

export interface IdSegment {
  type: string;
  value: string;
}

export interface ParsedId {
  connectionId: string;
  service: ServiceId | null;
  /** Typed segments after the service. */
  path: IdSegment[];
}

const SERVICES = new Set<string>(['kdrive', 'calendar', 'contacts', 'mail']);

export function connectionNodeId(connectionId: string): string {
  return `conn:${encodeURIComponent(connectionId)}`;
}

export function serviceNodeId(connectionId: string, service: ServiceId): string {
  return `${connectionNodeId(connectionId)}/${service}`;
}

export function childId(parentId: string, type: string, value: string | number): string {
  return `${parentId}/${type}:${encodeURIComponent(String(value))}`;
}

export function parseId(id: string): ParsedId | null {
  const parts = id.split('/');
  const head = parts[0];
  if (!head?.startsWith('conn:')) return null;
  const connectionId = safeDecode(head.slice(5));
  if (!connectionId) return null;
  if (parts.length === 1) return { connectionId, service: null, path: [] };
  const service = parts[1];
  if (!service || !SERVICES.has(service)) return null;
  const path: IdSegment[] = [];
  for (const part of parts.slice(2)) {
    const colon = part.indexOf(':');
    if (colon <= 0) return null;
    const value = safeDecode(part.slice(colon + 1));
    if (value === null) return null;
    path.push({ type: part.slice(0, colon), value });
  }
  return { connectionId, service: service as ServiceId, path };
}

export function parentOf(id: string): string | null {
  const slash = id.lastIndexOf('/');
  return slash > 0 ? id.slice(0, slash) : null;
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** Last segment of a given type, e.g. the file id of a kDrive node. */
export function segment(parsed: ParsedId, type: string): string | null {
  for (let i = parsed.path.length - 1; i >= 0; i--) {
    const s = parsed.path[i];
    if (s?.type === type) return s.value;
  }
  return null;
}
