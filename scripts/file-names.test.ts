import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One case convention for source file names (issue 10.6): kebab-case everywhere, in main/ and
 * renderer/ alike (`sources-tree.tsx`, `use-tree-drag.ts`, `file-writer.ts`). Component and hook
 * names inside the files keep React's PascalCase/camelCase; only the file names follow this rule.
 */
const root = join(__dirname, '..');
const folders = ['main', 'preload', 'renderer', 'shared', 'simulator', 'e2e', 'bench', 'scripts'];
const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|mjs|cjs)$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('source file names', () => {
  const files = folders.flatMap((folder) => sourceFiles(join(root, folder)));

  it('finds the source files it checks', () => {
    expect(files.length).toBeGreaterThan(200);
  });

  it('are kebab-case in every code folder', () => {
    const offenders = files
      .filter((path) => !kebab.test(path.split(/[\\/]/).pop() ?? ''))
      .map((path) => relative(root, path));
    expect(offenders).toEqual([]);
  });
});
