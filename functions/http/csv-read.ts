/**
 * Reads CSV as offices' spreadsheets write it (RFC 4180): UTF-8 with or without a byte-order
 * mark, CRLF or LF, quoted cells with doubled quotes and line breaks inside. The reverse of
 * csv.ts: a cell the export protected against formula injection (`'=…`) reads back as it was
 * before (a cell typed as `'=…` by hand loses its quote too: the two cannot be told apart).
 */
import { UTF8_BOM } from './csv.js';

export interface CsvTable {
  header: string[];
  /** Each data row with its line number in the file (the header is line 1), blank lines left out. */
  rows: { line: number; cells: string[] }[];
}

/** Where the text stops being CSV; `line` counts from 1. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/** The export's guard against formula injection: a quote before what a spreadsheet would run. */
const PROTECTED_FORMULA = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const unprotect = (cell: string): string => (PROTECTED_FORMULA.test(cell) ? cell.slice(1) : cell);

/** Splits CSV text into records of cells, each with the line it starts on. */
const records = (text: string): { line: number; cells: string[] }[] => {
  const found: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let cellWasQuoted = false;
  let line = 1;
  let recordLine = 1;
  const endCell = () => {
    cells.push(unprotect(cell));
    cell = '';
    cellWasQuoted = false;
  };
  const endRecord = () => {
    endCell();
    found.push({ line: recordLine, cells });
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
          const next = text[i + 1];
          if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
            throw new CsvSyntaxError(line, 'a closing quote must end its cell');
          }
        }
      } else {
        if (char === '\n') line++;
        cell += char;
      }
    } else if (char === '"' && cell === '' && !cellWasQuoted) {
      // A quote opens a cell only at its start; inside a plain cell (5" screen) it is a character.
      quoted = true;
      cellWasQuoted = true;
    } else if (char === ',') {
      endCell();
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += char;
    }
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted cell is not closed');
  if (cell !== '' || cellWasQuoted || cells.length > 0) endRecord();
  return found;
};

const isBlank = (cells: readonly string[]) => cells.every((cell) => cell.trim() === '');

/**
 * The header and data rows of CSV text. Header names are trimmed; a data row may not have more
 * cells than the header (fewer are read as empty), and blank lines are skipped.
 */
export const readCsv = (text: string): CsvTable => {
  const all = records(text.startsWith(UTF8_BOM) ? text.slice(UTF8_BOM.length) : text).filter(
    (record) => !isBlank(record.cells),
  );
  const [first, ...rest] = all;
  if (first === undefined) throw new CsvSyntaxError(1, 'the file is empty: a header row is required');
  const header = first.cells.map((name) => name.trim());
  const rows = rest.map((record) => {
    if (record.cells.length > header.length) {
      throw new CsvSyntaxError(
        record.line,
        `has ${record.cells.length} cells but the header names ${header.length} columns`,
      );
    }
    return { line: record.line, cells: header.map((_, index) => record.cells[index] ?? '') };
  });
  return { header, rows };
};
