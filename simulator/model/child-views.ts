/** Views over a folder's children: ordered, addressed by index, without building the nodes. */
import type { GenFolder } from './generated';

/** An ordered list of a folder's children, addressed by index without building them. */
export interface ChildView {
  readonly count: number;
  at(index: number): number;
}

export function arrayView(ids: number[]): ChildView {
  return { count: ids.length, at: (i) => ids[i]! };
}

export function genDirsView(f: GenFolder | null): ChildView {
  if (!f) return arrayView([]);
  return { count: f.dirCount, at: (i) => f.start + i * f.dirStride };
}

export function genFilesView(f: GenFolder | null): ChildView {
  if (!f) return arrayView([]);
  return { count: f.fileCount, at: (i) => f.fileStart + i };
}

export function concatViews(views: ChildView[]): ChildView {
  const parts = views.filter((v) => v.count > 0);
  const count = parts.reduce((n, v) => n + v.count, 0);
  return {
    count,
    at(index: number): number {
      let i = index;
      for (const v of parts) {
        if (i < v.count) return v.at(i);
        i -= v.count;
      }
      throw new RangeError(`child ${index} of ${count}`);
    },
  };
}

/** A view over an explicit list (used for sorted or filtered listings). */
export function listView(ids: number[]): ChildView {
  return arrayView(ids);
}
