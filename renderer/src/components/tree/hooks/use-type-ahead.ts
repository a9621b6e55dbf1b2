/**
 * Type-ahead: printable keys typed within 500 ms form a prefix (case- and diacritic-insensitive);
 * a repeated letter cycles through the rows starting with it.
 */
import { useRef } from 'react';
import { foldText, foldedName } from '../../../store/tree/model';
import type { VisibleRow } from '../../../store/tree/model';

export const TYPEAHEAD_MS = 500;

export interface TypeAhead {
  /** Adds a key to the prefix and moves focus to the next matching row. */
  type(key: string): void;
  /** True while a prefix is being typed (Space then continues it instead of selecting). */
  active(): boolean;
}

export function useTypeAhead(
  rows: readonly VisibleRow[],
  focusIndex: number,
  /** Moves focus (and, in the tree, the selection) to a row. */
  focusAt: (index: number) => void,
): TypeAhead {
  const typeahead = useRef({ buffer: '', at: 0 });
  return {
    type(key) {
      const now = Date.now();
      const state = typeahead.current;
      if (now - state.at > TYPEAHEAD_MS) state.buffer = '';
      state.buffer += key;
      state.at = now;
      const query = foldText(state.buffer);
      if (query.trim() === '') return;
      const first = query[0]!;
      const repeated = query.length > 1 && [...query].every((c) => c === first);
      const needle = repeated ? first : query;
      // A new search or a repeated letter starts after the focused row; a longer prefix may stay on it.
      const start = state.buffer.length === 1 || repeated ? focusIndex + 1 : Math.max(focusIndex, 0);
      const n = rows.length;
      for (let k = 0; k < n; k++) {
        const i = (start + k) % n;
        const row = rows[i]!;
        if (row.kind === 'node' && foldedName(row.node).startsWith(needle)) {
          if (i !== focusIndex) focusAt(i);
          return;
        }
      }
    },
    active() {
      return typeahead.current.buffer !== '' && Date.now() - typeahead.current.at <= TYPEAHEAD_MS;
    },
  };
}
