import { describe, expect, it } from 'vitest';
import { csvCell, toCsv, UTF8_BOM } from '../../../functions/http/csv.js';

describe('CSV', () => {
  it('starts with a UTF-8 byte-order mark so that Excel shows Chinese', () => {
    const csv = toCsv(['province_zh'], [['江苏省']]);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv).toBe(`${UTF8_BOM}province_zh\r\n江苏省\r\n`);
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  });

  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it.each([
    ['＝', 'U+FF1D'],
    ['＋', 'U+FF0B'],
    ['－', 'U+FF0D'],
    ['＠', 'U+FF20'],
  ])('neutralises a formula started with the full-width %s (%s)', (sign) => {
    expect(csvCell(`${sign}HYPERLINK("x")`)).toBe(`"'${sign}HYPERLINK(""x"")"`);
    expect(csvCell(`${sign}1`)).toBe(`'${sign}1`);
  });

  it('leaves formula signs alone anywhere but at the start, and numbers unquoted', () => {
    expect(csvCell('江苏＋上海=长三角')).toBe('江苏＋上海=长三角');
    expect(csvCell(-1)).toBe('-1');
  });

  it('writes numbers as they are and empty cells for missing values', () => {
    expect(csvCell(210.5)).toBe('210.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});
