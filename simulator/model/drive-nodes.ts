/** What a drive is made of: its nodes, the three spaces under the root, the default order. */
import type { ContentSource } from './content';
import type { GenBlock } from './generated';
import type { HashStyle, NodeFault } from '../scenario/schema';

export type Space = 'private' | 'common' | 'shared';

export interface FileNode {
  id: number;
  driveId: number;
  parentId: number | null;
  name: string;
  type: 'dir' | 'file';
  /** kDrive depth: root 1, spaces 2, … [guess] */
  depth: number;
  visibility: string;
  status: string | null;
  /** Unix seconds. */
  createdAt: number | null;
  addedAt: number;
  modifiedAt: number;
  size: number;
  mimeType: string;
  extensionType: string;
  color: string | null;
  content: ContentSource;
  fault?: NodeFault | undefined;
  space: Space | null;
  generated: boolean;
  /** How the server's `hash` is made, when the scenario says (else: by the drive's rule). */
  hashStyle?: { style: HashStyle; chunkSize: number } | undefined;
  /** Listed as `type: "vault"`: locked, no listing, no download. */
  vault?: boolean | undefined;
  /** Earlier versions, oldest first (written-out files only). */
  versions?: FileVersion[] | undefined;
}

/** An earlier version of a file. */
export interface FileVersion {
  id: number;
  /** Unix seconds. */
  modifiedAt: number;
  content: ContentSource;
  /** A person's id (who made it), when the scenario says. */
  by: number | null;
  keepForever: boolean;
}

export interface ExplicitNode extends FileNode {
  children: number[];
  block?: GenBlock;
}

export const SPACES: Array<{ key: Space; name: string; visibility: string; id: number }> = [
  { key: 'private', name: 'Private', visibility: 'is_private_space', id: 2 },
  { key: 'common', name: 'Common documents', visibility: 'is_team_space', id: 3 },
  { key: 'shared', name: 'Shared', visibility: 'is_shared_space', id: 4 },
];

export const DAY = 86_400;

/** Default order [guess]: folders first, then by name, case-insensitively. */
export function compareDefault(a: FileNode, b: FileNode): number {
  if (a.type !== b.type) return a.type === 'dir' ? -1 : 1;
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id;
}

export function visibilityIn(space: Space | null, depth: number): string {
  // [guess] values from Infomaniak's apps: direct children of Common documents are team-space folders.
  if (space === 'common') return depth === 3 ? 'is_team_space_folder' : 'is_in_team_space_folder';
  return '';
}
