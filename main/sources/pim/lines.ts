/**
 * Content-line folding shared by the iCalendar and vCard writers (RFC 5545 §3.1, RFC 6350 §3.2):
 * lines longer than 75 octets are split with CRLF + one space. Counting is in UTF-8 octets and a
 * fold never falls inside a code point, so multi-byte text (umlauts, emoji) is never split.
 * The leading space of a continuation line counts towards its 75 octets.
 */

export const CRLF = '\r\n';

/** Control characters other than TAB and LF (not allowed in TEXT values). */
// eslint-disable-next-line no-control-regex
export const CONTROL_EXCEPT_TAB_LF = /[\x00-\x08\x0b-\x1f\x7f]/g;
/** All control characters. */
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\x00-\x1f\x7f]/g;
export const MAX_LINE_OCTETS = 75;

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/** Folds one unfolded content line; returns it with CRLF + space between the pieces (no final CRLF). */
export function foldLine(line: string): string {
  if (line.length <= MAX_LINE_OCTETS / 4) return line;
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(line)) {
    // ASCII (e.g. a base64 photo): one octet per character.
    const pieces = [line.slice(0, MAX_LINE_OCTETS)];
    for (let i = MAX_LINE_OCTETS; i < line.length; i += MAX_LINE_OCTETS - 1) {
      pieces.push(line.slice(i, i + MAX_LINE_OCTETS - 1));
    }
    return pieces.join(CRLF + ' ');
  }
  const pieces: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const ch of line) {
    const size = utf8Length(ch.codePointAt(0) ?? 0);
    if (octets + size > limit) {
      pieces.push(current);
      current = '';
      octets = 0;
      // Continuation lines start with a space, which is one of their 75 octets.
      limit = MAX_LINE_OCTETS - 1;
    }
    current += ch;
    octets += size;
  }
  pieces.push(current);
  return pieces.join(CRLF + ' ');
}

/** Removes folding (CRLF or LF followed by one space or tab). */
export function unfold(text: string): string {
  return text.replace(/\r?\n[ \t]/g, '');
}

/** Folds every line and joins them with CRLF, ending with a CRLF as RFC 5545 requires. */
export function joinContentLines(lines: readonly string[]): string {
  return lines.map(foldLine).join(CRLF) + CRLF;
}
