import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../../functions/http/spec/index.js';
import { freeText, refusedCharacter, type TextLines } from '../../../functions/schemas/common.js';
import { openApiValidator } from '../../support/openapi.js';

const verdict = (text: string, lines: TextLines) => {
  const result = freeText(1000, lines).safeParse(text);
  return result.success ? 'accepted' : result.error.issues.map((issue) => issue.message).join('; ');
};

/** Text people write: CJK, emoji (surrogate pairs, joiners), no-break and ideographic spaces. */
const ORDINARY = [
  '建设轨道上的长三角',
  'Rail – 1,200 km (≈ 5%)',
  '进度 👍🏽 👨‍👩‍👧 🇨🇳',
  'a\u00A0b\u3000c',
  'zero\u200Dwidth joiner, U+202F\u202Fnarrow no-break space, U+206A\u206A',
];

/** [code point, kind] of every edge of every refused range. */
const REFUSED: [number, 'control' | 'bidi'][] = [
  [0x00, 'control'],
  [0x08, 'control'],
  [0x0b, 'control'],
  [0x0c, 'control'],
  [0x0e, 'control'],
  [0x1f, 'control'],
  [0x7f, 'control'],
  [0x80, 'control'],
  [0x85, 'control'],
  [0x9f, 'control'],
  [0x061c, 'bidi'],
  [0x200e, 'bidi'],
  [0x200f, 'bidi'],
  [0x202a, 'bidi'],
  [0x202e, 'bidi'],
  [0x2066, 'bidi'],
  [0x2069, 'bidi'],
];

const LONE_SURROGATES = ['x\uD800', '\uDC00x', 'a\uDBFFb', 'a\uDE00\uD83Db', '\uD83D\uD83D\uDE00'];

describe('free text', () => {
  it.each(ORDINARY)('accepts %j on one line and on several', (text) => {
    expect(verdict(text, 'one line')).toBe('accepted');
    expect(verdict(text, 'several lines')).toBe('accepted');
  });

  it('keeps line breaks and tabs only where the text has several lines', () => {
    for (const [text, unit] of [
      ['a\nb', 'U+000A'],
      ['a\r\nb', 'U+000D'],
      ['a\tb', 'U+0009'],
    ] as const) {
      expect(freeText(100, 'several lines').parse(text)).toBe(text);
      expect(verdict(text, 'one line')).toBe(
        `must not contain control characters such as ${unit}: it is a single line`,
      );
    }
  });

  it.each(REFUSED)('refuses U+%s, naming it', (code, kind) => {
    const char = String.fromCharCode(code);
    const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    for (const lines of ['one line', 'several lines'] as const) {
      expect(verdict(`名称${char}名称`, lines)).toBe(
        kind === 'bidi'
          ? `must not contain bidirectional formatting characters such as ${name}`
          : lines === 'one line'
            ? `must not contain control characters such as ${name}: it is a single line`
            : `must not contain control characters such as ${name} (line breaks and tabs are allowed)`,
      );
    }
  });

  it.each(LONE_SURROGATES)('refuses the lone surrogate in %j', (text) => {
    expect(verdict(text, 'several lines')).toMatch(
      /^must be well-formed Unicode: U\+D[89A-F][0-9A-F]{2} is half of a surrogate pair$/,
    );
  });

  it('names the first refused character only', () => {
    expect(refusedCharacter('a\u202Eb\u0007', 'one line')).toBe(
      'must not contain bidirectional formatting characters such as U+202E',
    );
    expect(refusedCharacter('👍🏽\n', 'several lines')).toBeNull();
  });

  describe('as openapi.json states it', () => {
    const document = buildOpenApiDocument();
    const validator = openApiValidator(document);
    const report = { $ref: '#/components/schemas/MilestoneReport' };
    const project = { $ref: '#/components/schemas/ProjectDefinition' };
    const samples = [
      ...ORDINARY,
      'a\nb\tc\r\n',
      ...REFUSED.map(([code]) => `x${String.fromCharCode(code)}y`),
      ...LONE_SURROGATES,
    ];

    it.each(samples)('agrees with the API about %j', (text) => {
      const noteValid = validator.errorsOf(report, { value: 1, asOf: '2024-06-30', note: text }) === null;
      const nameValid = validator.errorsOf(project, { year: 2024, name: { zh: text, en: 'x' } }) === null;
      expect(noteValid).toBe(verdict(text, 'several lines') === 'accepted');
      expect(nameValid).toBe(verdict(text, 'one line') === 'accepted');
    });
  });
});
