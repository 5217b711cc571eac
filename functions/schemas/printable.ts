/**
 * What free text may hold, free of any schema library: the patterns free-text fields are checked
 * with and the error that names the first character refused. The schemas (common.ts) and the
 * validators compiled from them both use these very functions.
 */
/**
 * What free text may not hold, as ranges of a regular-expression class. Control characters (C0,
 * DEL, C1) corrupt logs, terminals and CSV rows; bidirectional formatting characters make text
 * display in an order other than the one it is stored in (a name can "end" in `.exe`). Line
 * breaks and tabs are the only controls a multi-line text keeps.
 */
const BIDI_CONTROLS = '\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
const CONTROLS = {
  'one line': '\\u0000-\\u001F\\u007F-\\u009F',
  'several lines': '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F',
} as const;
export type TextLines = keyof typeof CONTROLS;

/**
 * Whole-text patterns, without the `u` flag so that JSON Schema (and so openapi.json) can carry
 * them: a surrogate is let through only as the first half of a pair followed by its second half,
 * so a lone surrogate, which no UTF-8 store or JSON parser elsewhere takes, is refused too.
 */
const printablePattern = (lines: TextLines) =>
  new RegExp(
    `^(?:[^${CONTROLS[lines]}${BIDI_CONTROLS}\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$`,
  );
export const PRINTABLE = {
  'one line': printablePattern('one line'),
  'several lines': printablePattern('several lines'),
} as const;

const codePoint = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
const isSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff;
const isPair = (high: number, low: number) => high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
const BIDI_CONTROL = new RegExp(`[${BIDI_CONTROLS}]`);
const CONTROL = {
  'one line': new RegExp(`[${CONTROLS['one line']}]`),
  'several lines': new RegExp(`[${CONTROLS['several lines']}]`),
} as const;

/** The field error for the first character the pattern refuses, naming it; null if there is none. */
export const refusedCharacter = (text: string, lines: TextLines): string | null => {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (isSurrogate(unit)) {
      if (isPair(unit, text.charCodeAt(i + 1))) {
        i++;
        continue;
      }
      return `must be well-formed Unicode: ${codePoint(unit)} is half of a surrogate pair`;
    }
    const char = text.charAt(i);
    if (BIDI_CONTROL.test(char)) {
      return `must not contain bidirectional formatting characters such as ${codePoint(unit)}`;
    }
    if (CONTROL[lines].test(char)) {
      return lines === 'one line'
        ? `must not contain control characters such as ${codePoint(unit)}: it is a single line`
        : `must not contain control characters such as ${codePoint(unit)} (line breaks and tabs are allowed)`;
    }
  }
  return null;
};

/** The error of each kind of text's pattern: named, so compiled validators can import it. */
export const oneLineRefusal = (issue: { input?: unknown }): string =>
  refusedCharacter(String(issue.input), 'one line') ?? 'must be printable text';
export const severalLinesRefusal = (issue: { input?: unknown }): string =>
  refusedCharacter(String(issue.input), 'several lines') ?? 'must be printable text';
const REFUSALS = { 'one line': oneLineRefusal, 'several lines': severalLinesRefusal } as const;
export const printableRefusal = (lines: TextLines) => REFUSALS[lines];
