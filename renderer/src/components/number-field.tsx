import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A whole number in [min, max] from what was typed, or null. */
export function parseWhole(text: string, min: number, max: number): number | null {
  return parseNumber(text, min, max, false);
}

/** A number in [min, max] from what was typed (with `decimal`: one decimal, `.` or `,`), or null. */
export function parseNumber(text: string, min: number, max: number, decimal: boolean): number | null {
  const trimmed = text.trim();
  if (!(decimal ? /^\d{1,9}([.,]\d)?$/ : /^\d{1,9}$/).test(trimmed)) return null;
  const n = Number(trimmed.replace(',', '.'));
  return n >= min && n <= max ? n : null;
}

/**
 * A number input that accepts typing: what is typed stays a draft until it is committed (Enter or
 * leaving the field). A draft that is no whole number in range is marked invalid with a sentence
 * saying what to enter, and is never saved; the saved value stays what it was.
 *
 * A value that changes from outside (settings pushed from main: the late echo of an earlier save,
 * another window's change) is shown only while the field has no draft. A draft (typed and not yet
 * committed, or committed but invalid) is kept, so nothing typed is lost; committing it saves it
 * if it differs from the value then current. Give the field a `key` when it starts showing
 * something else (another calendar), so a draft never carries over.
 */
export function NumberField({
  id,
  value,
  min,
  max,
  decimal = false,
  onCommit,
}: {
  id: string;
  value: number;
  min: number;
  max: number;
  /** One decimal allowed (0.5); else whole numbers only. */
  decimal?: boolean;
  onCommit(value: number): void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(String(value));
  const [invalid, setInvalid] = useState(false);
  /** Typed since the last valid commit: the draft is the user's, not the value's. */
  const [dirty, setDirty] = useState(false);
  const [shownValue, setShownValue] = useState(value);
  // A value changed elsewhere (main's echo, another window, a reset) replaces only a field with no draft.
  if (shownValue !== value) {
    setShownValue(value);
    if (!dirty) {
      setDraft(String(value));
      setInvalid(false);
    }
  }
  const commit = () => {
    const n = parseNumber(draft, min, max, decimal);
    setInvalid(n === null);
    if (n === null) return;
    setDirty(false);
    if (n !== value) onCommit(n);
  };
  const errorId = `${id}-error`;
  return (
    <span className="number-field">
      <input
        id={id}
        type="number"
        inputMode={decimal ? 'decimal' : 'numeric'}
        min={min}
        max={max}
        step={decimal ? 0.1 : 1}
        value={draft}
        aria-invalid={invalid}
        {...(invalid ? { 'aria-describedby': errorId } : {})}
        onChange={(e) => {
          setDraft(e.target.value);
          setDirty(true);
          setInvalid(false);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
      {invalid && (
        <span id={errorId} className="error-text small" role="alert">
          {t(decimal ? 'settings.decimalRange' : 'settings.numberRange', { min, max })}
        </span>
      )}
    </span>
  );
}
