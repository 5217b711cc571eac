/** Excel opens UTF-8 CSV correctly (Chinese included) only when the file starts with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';

const needsQuotes = /[",\r\n]/;
/**
 * Cells that a spreadsheet would run as a formula are prefixed with a quote (CSV injection). The
 * full-width ＝＋－＠ count too: spreadsheets in Chinese locales may read them as their ASCII
 * forms, and a Chinese input method types them by default.
 */
const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export const csvCell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? String(value) : String(value);
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const toCsv = (header: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  `${UTF8_BOM}${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
