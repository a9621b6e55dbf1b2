/**
 * A kDrive file's earlier versions (issue 24.2; docs/infomaniak-api.md, "Versions"):
 * `GET /3/drive/{d}/files/{F}/versions` (page pagination) lists them; each becomes a node below the
 * file (`…/f:<F>/ver:<V>`) that downloads through the normal transfers (a DownloadJob, so it shows
 * progress and goes through the one writer: safe names, never over an existing file) from
 * `GET /2/drive/{d}/files/{F}/versions/{V}/download`, saved as
 * `name (version 2026-11-03 14.05).ext` (local time of the version).
 */
import { failWith } from '../../shared/model/errors';
import type { FileVersionInfo } from '../../shared/model/file-extras';
import type { SourceNode } from '../../shared/model/sources';
import type { InfomaniakApi } from '../infomaniak/types';
import { splitExtension } from '../localfs/safe-name';
import type { DownloadItem } from '../localfs/types';
import type { DownloadJob } from '../transfers/types';
import { childId, segment } from './ids';
import type { ParsedId } from './ids';
import { decodeStrictList, fileVersionSchema } from './kdrive-extra-schemas';
import type { FileVersionRecord } from './kdrive-extra-schemas';
import { once } from './jobs';
import type { AdapterContext } from './types';

export const VERSION_SEGMENT = 'ver';
const PER_PAGE = 100;
const MAX_PAGES = 10;

/** Every earlier version of one file (newest first, as the server orders them). */
export async function listVersions(
  client: InfomaniakApi,
  driveId: number,
  fileId: number,
  signal: AbortSignal,
): Promise<FileVersionRecord[]> {
  const out: FileVersionRecord[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await client.get('api', `/3/drive/${driveId}/files/${fileId}/versions`, {
      searchParams: { page, per_page: PER_PAGE },
      signal,
    });
    out.push(...decodeStrictList(fileVersionSchema, answer.data, "the file's versions").items);
    if (!answer.pages || page >= answer.pages) break;
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "Report (version 2026-11-03 14.05).pdf": the time in local time; without one, the version's id. */
export function versionFileName(name: string, at: number | null, id: number): string {
  const { stem, ext } = splitExtension(name);
  if (at === null) return `${stem} (version ${id})${ext}`;
  const d = new Date(at);
  const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}.${pad(d.getMinutes())}`;
  return `${stem} (version ${stamp})${ext}`;
}

function versionTime(v: FileVersionRecord): number | null {
  const seconds = v.last_modified_at ?? v.created_at ?? v.updated_at;
  return seconds === undefined ? null : seconds * 1000;
}

/** The versions as Details lists them, and the nodes main remembers for their downloads. */
export function versionsOf(
  file: SourceNode,
  records: FileVersionRecord[],
): { infos: FileVersionInfo[]; nodes: SourceNode[] } {
  const infos: FileVersionInfo[] = [];
  const nodes: SourceNode[] = [];
  for (const v of records) {
    const at = versionTime(v);
    const fileName = versionFileName(file.name, at, v.id);
    const id = childId(file.id, VERSION_SEGMENT, v.id);
    const node: SourceNode = {
      id,
      parentId: file.id,
      kind: 'file',
      service: 'kdrive',
      name: fileName,
      expandable: false,
      downloadable: true,
      details: { version: String(v.id) },
    };
    if (v.size !== undefined) node.size = v.size;
    if (at !== null) node.modifiedAt = at;
    nodes.push(node);
    infos.push({
      nodeId: id,
      modifiedAt: at,
      size: v.size ?? null,
      by: v.updated_by?.display_name ?? null,
      fileName,
      current: at !== null && at === file.modifiedAt && v.size === file.size,
    });
  }
  return { infos, nodes };
}

/** The job of one version node (`…/f:<F>/ver:<V>`): one file, its name from the listing or the transfer. */
export function versionJob(ctx: AdapterContext, node: ParsedId, nodeId: string): DownloadJob {
  const driveId = Number(segment(node, 'drive'));
  const fileId = Number(segment(node, 'f'));
  const versionId = Number(segment(node, VERSION_SEGMENT));
  if (![driveId, fileId, versionId].every(Number.isSafeInteger))
    throw failWith('not_found', 'version_unknown', 'This version is not known.');
  const known = ctx.lookup(nodeId);
  const name = known?.name ?? ctx.hint?.name ?? `version ${versionId}`;
  const client = ctx.client;
  const item: DownloadItem = {
    segments: [name],
    size: known?.size ?? null,
    fetch: (req) => client.download('api', `/2/drive/${driveId}/files/${fileId}/versions/${versionId}/download`, req),
    origin: client.endpoints.api,
  };
  if (known?.modifiedAt !== undefined) item.modifiedAt = known.modifiedAt;
  return { name, kind: 'file', items: once(item), filesTotal: 1, bytesTotal: known?.size ?? null };
}
