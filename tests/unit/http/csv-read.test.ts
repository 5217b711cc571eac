import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCsv, UTF8_BOM } from '../../../functions/http/csv.js';
import { CsvSyntaxError, readCsv } from '../../../functions/http/csv-read.js';

const syntaxErrorOf = (text: string) => {
  try {
    readCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { line: error.line, message: error.message };
  }
  return 'read without error';
};

describe('readCsv', () => {
  it('reads a spreadsheet export: byte-order mark, CRLF, quoted cells with commas, quotes and line breaks', () => {
    const text = `${UTF8_BOM}as_of,value,note\r\n2024-06-30,210.5,"沪苏湖, 江苏段"\r\n2024-07-31,230,"说明：""一期""\r\n已通车"\r\n`;
    expect(readCsv(text)).toEqual({
      header: ['as_of', 'value', 'note'],
      rows: [
        { line: 2, cells: ['2024-06-30', '210.5', '沪苏湖, 江苏段'] },
        { line: 3, cells: ['2024-07-31', '230', '说明："一期"\r\n已通车'] },
      ],
    });
  });

  it('reads LF files without a byte-order mark or a final line break, skips blank lines and pads short rows', () => {
    expect(readCsv(' as_of , value \n\n2024-06-30,1\n,\n2024-07-01')).toEqual({
      header: ['as_of', 'value'],
      rows: [
        { line: 3, cells: ['2024-06-30', '1'] },
        { line: 5, cells: ['2024-07-01', ''] },
      ],
    });
  });

  it('counts the lines a quoted line break spans, so errors name the line a person sees', () => {
    const table = readCsv('a,b\n"one\ntwo",1\n3,4\n');
    expect(table.rows.map((row) => row.line)).toEqual([2, 4]);
  });

  it('reads a quote inside a plain cell as a character', () => {
    expect(readCsv('size\n5" screen\n').rows[0]?.cells).toEqual(['5" screen']);
  });

  it('takes back the export’s guard against formula injection', () => {
    expect(readCsv(toCsv(['note'], [['=1+1'], ['－5'], ["it's"]])).rows.map((row) => row.cells[0])).toEqual([
      '=1+1',
      '－5',
      "it's",
    ]);
  });

  it('names the line of what is not CSV', () => {
    expect(syntaxErrorOf('a,b\n1,"open\n')).toEqual({
      line: 2,
      message: 'line 2: a quoted cell is not closed',
    });
    expect(syntaxErrorOf('a,b\n"x"y,1\n')).toEqual({
      line: 2,
      message: 'line 2: a closing quote must end its cell',
    });
    expect(syntaxErrorOf('a,b\n1,2,3\n')).toEqual({
      line: 2,
      message: 'line 2: has 3 cells but the header names 2 columns',
    });
    expect(syntaxErrorOf(`${UTF8_BOM}\r\n\r\n`)).toEqual({
      line: 1,
      message: 'line 1: the file is empty: a header row is required',
    });
  });

  it('reads back every table the export writes', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('a', '"', ',', '\r', '\n', '=', '－', "'", '江', ' ') }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 5 }), (rows) => {
        const table = readCsv(toCsv(['a', 'b', 'c'], rows));
        // What a person typed as '= reads back without its quote (see csv-read.ts); rows left blank are skipped.
        const expected = rows
          .map((row) => row.map((c) => (/^'[=+\-@\t\r＝＋－＠]/.test(c) ? c.slice(1) : c)))
          .filter((row) => row.some((c) => c.trim() !== ''));
        expect(table.header).toEqual(['a', 'b', 'c']);
        expect(table.rows.map((row) => row.cells)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
