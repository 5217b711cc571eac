import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../functions/domain/errors.js';
import {
  detailZh,
  fieldMessageZh,
  PROBLEM_TITLES_ZH,
  problemInZh,
} from '../../../functions/http/problem-zh.js';

const FUNCTIONS = fileURLToPath(new URL('../../../functions', import.meta.url));
const ERROR_CLASSES =
  /^(Validation|Conflict|Forbidden|NotFound|Unauthenticated|PayloadTooLarge|UnsupportedMediaType|NotAcceptable|ServiceUnavailable)Error$/;

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // API descriptions and response schemas describe; they raise nothing.
    if (entry.isDirectory())
      return entry.name === 'spec' || entry.name === 'responses' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

/** The shapes a message expression can have: each `${…}` stands for any text. */
const templatesOf = (node: ts.Node): RegExp[] => {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return [new RegExp(`^${escapeRegExp(node.text)}$`)];
  }
  if (ts.isTemplateExpression(node)) {
    const parts = [
      escapeRegExp(node.head.text),
      ...node.templateSpans.map((span) => `[\\s\\S]*${escapeRegExp(span.literal.text)}`),
    ];
    return [new RegExp(`^${parts.join('')}$`)];
  }
  if (ts.isConditionalExpression(node))
    return [...templatesOf(node.whenTrue), ...templatesOf(node.whenFalse)];
  if (ts.isParenthesizedExpression(node)) return templatesOf(node.expression);
  return [];
};
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Found {
  kind: 'field' | 'detail';
  where: string;
  template: RegExp;
}

/**
 * Every message the product's code can write: field messages (`message:` of a field issue, the
 * texts schemas give their checks, what refusedCharacter returns) and details (the first text
 * of each error of the error tree).
 */
const messagesInSource = (): Found[] => {
  const found: Found[] = [];
  for (const file of sourceFiles(FUNCTIONS)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) =>
      `${file.slice(FUNCTIONS.length + 1)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const add = (kind: Found['kind'], node: ts.Node) => {
      for (const template of templatesOf(node)) found.push({ kind, where: where(node), template });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) && node.name.getText() === 'message') add('field', node.initializer);
      if (ts.isNewExpression(node) && ERROR_CLASSES.test(node.expression.getText())) {
        const args = node.arguments ?? [];
        const message = node.expression.getText() === 'ConflictError' ? args[1] : args[0];
        if (message) add('detail', message);
      }
      const callee = ts.isCallExpression(node) ? node.expression.getText() : '';
      if (callee === 'refuse' && ts.isCallExpression(node)) {
        for (const arg of node.arguments) add('field', arg);
      }
      if (
        ts.isCallExpression(node) &&
        file.includes('/schemas/') &&
        callee.startsWith('z.') &&
        !['z.describe', 'z.meta', 'z._default'].includes(callee)
      ) {
        for (const arg of node.arguments)
          if (ts.isStringLiteral(arg) || ts.isTemplateExpression(arg)) add('field', arg);
      }
      if (ts.isPropertyAssignment(node) && node.name.getText() === 'error' && file.includes('/schemas/')) {
        add('field', node.initializer);
      }
      if (ts.isReturnStatement(node) && node.expression && /must /.test(node.expression.getText())) {
        add('field', node.expression);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.filter((f) => !/^\^\$$/.test(f.template.source));
};

/**
 * One concrete English text per template, as a caller would read it: what the translation rules
 * are checked against. A template of the source without a sample here fails the first test.
 */
const FIELD_SAMPLES = [
  'must be a number',
  'must not be negative',
  'must be at most 1000000000',
  'must be at most 200 characters',
  'must be at most 200 for json',
  'must be at least 1',
  'must be greater than 0',
  'must be greater than the baseline (78)',
  'must be lower than the baseline (2.5)',
  'must be a whole number: ev-charging-2024 counts (piles)',
  'must be a whole number: elderly-care-2024 counts',
  'must be a whole number',
  'must be a whole year',
  'must be 2000 or later',
  'must be 2100 or earlier',
  'must be a date written YYYY-MM-DD',
  'must be a real calendar date',
  'must not be empty',
  'is required',
  'header is required',
  'must be an http(s) URL',
  'must be an ISO 8601 date-time, e.g. 2024-06-30T00:00:00Z',
  'must be a project id',
  'must be a replay id',
  'must be a subscription id',
  'must be lower-case letters, digits and hyphens',
  'must be lowercase letters, digits and hyphens',
  'must be 1 to 255 visible ASCII characters',
  'must be valid JSON',
  'must name at least one province',
  'must not repeat a value',
  'must list at most 10',
  'repeats metric id piles',
  'repeats deliverable id ningma',
  'need a regional target as well',
  "are only for 'sum' projects; an 'each' project's target applies to every province",
  "are not for a 'region' metric: it has one figure",
  "is only for a 'region' metric: each office reports its own province",
  'required when the coordinator reports',
  'use the nextCursor returned by the previous page',
  'is more than 10 times the target of 660; check the unit',
  'is more than 10 times the baseline of 2.5; check the unit',
  'may have at most 3 decimal places',
  'must be a number from 0 to 1000000000',
  'must not be before startDate (2024-03-01)',
  "must not be before the project's start (2024-01-01)",
  'must not be in the future (today is 2024-06-30 in China)',
  'must be well-formed Unicode: U+D800 is half of a surrogate pair',
  'must not contain bidirectional formatting characters such as U+202E',
  'must not contain control characters such as U+0007: it is a single line',
  'must not contain control characters such as U+0007 (line breaks and tabs are allowed)',
  'must be printable text',
  'must be at most 2048 characters',
  'its host is a private, loopback or reserved IP address',
  'it must use https',
  'a URL is required',
  'it is longer than 2048 characters',
  'it contains spaces or control characters',
  'it is not an absolute URL',
  'it must use https (or http to localhost)',
  'it must not contain a user name or password',
  'it must not contain a fragment (#)',
  'port 0 is not allowed',
  'its port must be one of 443, 8443',
  'its host must be a fully qualified domain name',
  'its host is a local or internal name',
  'its host name could not be resolved',
  'its host name resolves to a private, loopback or reserved address',
  'Invalid string: must match pattern ^[a-z]+$',
  'Invalid ISO datetime',
  'Invalid input: expected number, received string',
  'Invalid option: expected one of "sum"|"each"',
  'Unrecognized key: "x"',
];
const DETAIL_SAMPLES = [
  'The milestone report is not valid.',
  'The query is not valid.',
  'The path is not valid.',
  'The request took too long; retry with the same Idempotency-Key.',
  'The database is throttling; retry shortly.',
  'The database is busy or unreachable; retry shortly.',
  'Too many subscription changes at once; retry shortly.',
  'The report does not fit project rail-2024.',
  'The definition of project rail-2024 is not valid.',
  'The metrics of project ev-charging-2024 are not valid.',
  'The request needs a JSON body.',
  'The body is not valid JSON.',
  'The Idempotency-Key header is not valid.',
  'Send an Idempotency-Key header (for example a UUID) so that a retry is not recorded twice.',
  'The cursor is not valid for this listing.',
  'The webhook URL is not allowed: it must use https',
  'Deliverable ningma cannot be marked done.',
  'Deliverable ningma is not marked done: there is nothing to undo.',
  'Deliverable ningma was already marked done on 2025-06-28; changing it is a correction and needs a correctionReason.',
  'The coordinator must name the province it reports for.',
  'The jiangsu office may report only for jiangsu, not for zhejiang.',
  'The zhejiang office may not mark deliverable ningma: it belongs to jiangsu, anhui.',
  'Only the coordinator may define projects.',
  'There is no project rail-2025.',
  'There is no subscription 4c3d.',
  'There is no replay r-1 of subscription 4c3d.',
  'Project elderly-care-2024 already exists.',
  'Project elderly-care-2024 belongs to the 2024 list; create a new project for 2025.',
  'Project elderly-care-2024 was changed by another request; read it again and retry.',
  'A value of 220 as of 2024-05-31 exceeds the current value 210 as of 2024-06-30; cumulative values do not fall over time. Report it with the later date instead.',
  'A value of 1.8 as of 2024-05-31 is below the current value 2.1 as of 2024-06-30; this figure is pushed down, so an earlier one cannot be lower. Report it with the later date instead.',
  'The current value is 210 as of 2024-06-30; a lower value (200) is a correction and needs a correctionReason.',
  'The current value is 2.1 as of 2024-06-30; this figure is pushed down, so a higher value (2.2) is a correction and needs a correctionReason.',
  'Other reports for jiangsu kept arriving at the same moment; retry with the same Idempotency-Key.',
  "The project's definition kept changing while the report was decided; retry with the same Idempotency-Key.",
  'The database kept reporting conflicting transactions; retry with the same Idempotency-Key.',
  'This Idempotency-Key was already used for a different report; use a new key for a new report.',
  'This Idempotency-Key was already used for a different request; use a new key for a new subscription.',
  'This Idempotency-Key created a subscription that has since been deleted; use a new key to subscribe again.',
  'The jiangsu office already has 25 subscriptions; delete one before adding another.',
  "The subscription's secret was rotated by another request at the same time; rotate again.",
  'The body is 70000 bytes; the limit is 65536 bytes.',
  'Send the body as application/json, not text/plain.',
  'Send the body as application/json (the Content-Type header is missing).',
  'Unknown format "xml": use json or csv.',
  'This history is available as application/json or text/csv.',
  'The bearer token has expired; get a new one.',
  'The token carries no role of this product (a province office or the coordinator).',
  'The token names more than one province office; use one account per office.',
  'This API takes the access token of a sign-in, not the ID token.',
  'This request needs a valid bearer token.',
  'This request needs an Authorization: Bearer <token> header.',
];

describe('the Chinese of problems', () => {
  const found = messagesInSource();

  it('finds the messages of the source (the scan itself works)', () => {
    expect(found.filter((f) => f.kind === 'field').length).toBeGreaterThan(40);
    expect(found.filter((f) => f.kind === 'detail').length).toBeGreaterThan(30);
  });

  it('has a sample for every message the source can write', () => {
    const samples = { field: [...FIELD_SAMPLES, ...DETAIL_SAMPLES], detail: DETAIL_SAMPLES };
    const missing = found
      .filter((f) => !samples[f.kind].some((sample) => f.template.test(sample)))
      .map((f) => `${f.where} ${f.template.source}`);
    expect(missing).toEqual([]);
  });

  it.each(FIELD_SAMPLES)('words the field message "%s" in Chinese', (sample) => {
    const zh = fieldMessageZh(sample);
    expect(zh).not.toBeNull();
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it.each(DETAIL_SAMPLES)('words the detail "%s" in Chinese', (sample) => {
    expect(detailZh(sample)).toMatch(/[\u4e00-\u9fff]/);
  });

  it('words the default texts of schema checks, keeping values and names', () => {
    expect(fieldMessageZh('Invalid input: expected number, received string')).toBe('应为数字，实际为文本');
    expect(fieldMessageZh('Invalid option: expected one of "sum"|"each"')).toBe('应为以下之一："sum"|"each"');
    expect(fieldMessageZh('Too big: expected number to be <=100')).toBe('不能大于 100');
    expect(fieldMessageZh('Too small: expected number to be >0')).toBe('须大于 0');
    expect(fieldMessageZh('Too big: expected string to have <=2048 characters')).toBe('最多 2048 个字符');
    expect(fieldMessageZh('Unrecognized keys: "a", "b"')).toBe('不接受的字段："a", "b"');
    expect(fieldMessageZh('Invalid URL')).toBe('无效的网址');
    expect(fieldMessageZh('Invalid input')).toBe('输入无效');
    expect(fieldMessageZh('is more than 10 times the target of 660; check the unit')).toBe(
      '超过目标 660 的 10 倍，请检查单位',
    );
  });

  it('has a title for every code of the error tree', () => {
    const titles = Object.keys(PROBLEM_TITLES_ZH);
    for (const code of ['validation-failed', 'not-found', 'forbidden', 'service-unavailable'])
      expect(titles).toContain(code);
    const conflict = new ConflictError('deliverable-not-done', 'x');
    expect(titles).toContain(conflict.code);
  });
});

describe('a problem in Chinese', () => {
  it('translates title, detail and every field message, keeping type, status, fields and values', () => {
    const problem = {
      type: 'urn:livelihood-tracker:problem:validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'The report does not fit project rail-2024.',
      instance: '/projects/rail-2024/milestones',
      errors: [
        { field: 'value', message: 'is more than 10 times the target of 660; check the unit' },
        { field: 'note', message: 'an English text with no rule' },
      ],
    };
    expect(problemInZh(problem)).toEqual({
      type: 'urn:livelihood-tracker:problem:validation-failed',
      title: '请求无效',
      status: 400,
      detail: '该报告不符合项目 rail-2024 的要求。',
      instance: '/projects/rail-2024/milestones',
      errors: [
        { field: 'value', message: '超过目标 660 的 10 倍，请检查单位' },
        { field: 'note', message: 'an English text with no rule' },
      ],
    });
  });

  it('words the bare 500 too', () => {
    const zh = problemInZh({
      type: 'about:blank',
      title: 'Internal Server Error',
      detail: 'An unexpected error occurred. Reference: c0a8.',
    });
    expect(zh).toMatchObject({ title: '服务器内部错误', detail: '发生了意外错误。参考编号：c0a8。' });
  });
});
