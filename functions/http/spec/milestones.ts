/** The milestone routes of the API description: recording a report, reading the history. */
import * as z from 'zod/mini';
import {
  ConflictError,
  ForbiddenError,
  NotAcceptableError,
  ServiceUnavailableError,
} from '../../domain/errors.js';
import {
  MILESTONE_CSV_PAGE_MAX,
  MILESTONE_PAGE_DEFAULT,
  MILESTONE_PAGE_MAX,
  milestoneHistoryQuery,
  milestoneReportBody,
} from '../../schemas/milestones.js';
import { JIANGSU_MILESTONE } from '../../schemas/responses/examples.js';
import { milestonePageSchema, recordedMilestoneSchema } from '../../schemas/responses/milestones.js';
import { toCsv } from '../csv.js';
import { MILESTONE_CSV_HEADER, milestoneCsvRow } from '../milestone-csv.js';
import { IDEMPOTENCY_KEY_PATTERN } from '../request.js';
import { describeQuery, projectIdPath } from './parameters.js';
import {
  CALLER_UNAUTHENTICATED,
  errorsAt,
  invalid,
  problemExample,
  problemResponse,
  READER_UNAUTHENTICATED,
  unknownProject,
} from './problems.js';
import { CSV_MEDIA_TYPE, JSON_MEDIA_TYPE, type RouteSchema } from './types.js';

const MILESTONES_EXAMPLE_PATH = '/projects/rail-2024/milestones';

/** The example milestone as the CSV download writes it. */
const CSV_EXAMPLE = toCsv(MILESTONE_CSV_HEADER, [milestoneCsvRow(JIANGSU_MILESTONE)]);

const milestones = errorsAt(MILESTONES_EXAMPLE_PATH);

export const MILESTONE_ROUTES: Readonly<Record<string, RouteSchema>> = {
  listMilestones: {
    tag: 'Milestones',
    description: `The milestone history, newest as-of date first, a page at a time. JSON by default; CSV (UTF-8 with a byte-order mark, so that Excel shows Chinese correctly) with \`Accept: text/csv\` or \`?format=csv\`.`,
    pathParams: projectIdPath,
    query: describeQuery(
      z.extend(milestoneHistoryQuery, {
        format: z.optional(z.enum(['json', 'csv'])),
      }),
      {
        province: 'Only the milestones of this province',
        limit: `Page size: 1–${MILESTONE_PAGE_MAX} for JSON (default ${MILESTONE_PAGE_DEFAULT}), 1–${MILESTONE_CSV_PAGE_MAX} for CSV (default ${MILESTONE_CSV_PAGE_MAX})`,
        cursor: 'The `nextCursor` of the previous page',
        format: 'Overrides the `Accept` header: `csv` for a plain download link',
      },
    ),
    responses: {
      200: {
        description: 'One page of the history. `Link: <…>; rel="next"` points to the next page, if any.',
        content: {
          [JSON_MEDIA_TYPE]: { schema: milestonePageSchema },
          [CSV_MEDIA_TYPE]: {
            schema: z
              .string()
              .check(
                z.describe(
                  'One row per milestone, newest first, with a header row; cells a spreadsheet would run as a formula are prefixed with a quote.',
                ),
              ),
            examples: { page: { summary: 'A page of one milestone', value: CSV_EXAMPLE } },
          },
        },
        headers: ['Link', 'Content-Disposition'],
      },
      400: problemResponse(
        '`validation-failed`: malformed project id, an unknown province, a limit out of range, a cursor this API did not issue for this listing, or an unknown query parameter.',
        {
          limit: problemExample(
            'A JSON page too large',
            invalid('The query is not valid.', [
              { field: 'limit', message: `must be at most ${MILESTONE_PAGE_MAX} for json` },
            ]),
            MILESTONES_EXAMPLE_PATH,
          ),
          cursor: problemExample(
            'A cursor from another listing',
            invalid('The cursor is not valid for this listing.', [
              { field: 'cursor', message: 'use the nextCursor returned by the previous page' },
            ]),
            MILESTONES_EXAMPLE_PATH,
          ),
        },
      ),
      401: milestones.unauthenticated(READER_UNAUTHENTICATED),
      404: unknownProject(MILESTONES_EXAMPLE_PATH),
      406: problemResponse(
        '`not-acceptable`: `Accept` allows neither JSON nor CSV, or `format` is neither `json` nor `csv`.',
        {
          accept: problemExample(
            'Accept: application/xml',
            new NotAcceptableError('This history is available as application/json or text/csv.'),
            MILESTONES_EXAMPLE_PATH,
          ),
          format: problemExample(
            '?format=xlsx',
            new NotAcceptableError('Unknown format "xlsx": use json or csv.'),
            MILESTONES_EXAMPLE_PATH,
          ),
        },
      ),
      503: milestones.unavailable,
      500: milestones.internal,
    },
  },

  recordMilestone: {
    tag: 'Milestones',
    description:
      "A province office records its cumulative progress as of a date; the coordinator may report for any province, naming it. A lower value than the province's current one is a correction and needs a `correctionReason`; an older `asOf` is a backfill, kept as history. Retrying with the same `Idempotency-Key` and body within 24 hours replays the first response and writes nothing.",
    pathParams: projectIdPath,
    headers: [
      {
        name: 'Idempotency-Key',
        required: true,
        description:
          '1 to 255 visible ASCII characters, unique per report (a UUID is ideal). Keys belong to the caller and are kept 24 hours; the same key with a different body is refused (`409 idempotency-key-reused`).',
        schema: z.string().check(z.regex(IDEMPOTENCY_KEY_PATTERN)),
        example: '0b6c1f1e-2f0e-4d55-9a55-3f7b2c1d9e01',
      },
    ],
    body: {
      description:
        'The cumulative value as of a date. Counts are whole numbers; kilometres may carry three decimals; more than ten times the target is refused as a probable unit slip; `asOf` lies between the project start and today (China time).',
      schema: milestoneReportBody,
      examples: {
        report: {
          summary: "Jiangsu's report on the rail project",
          value: {
            value: 210,
            asOf: '2024-06-30',
            note: '沪苏湖铁路开通',
            evidenceUrl: 'https://example.gov.cn/notice/123',
          },
        },
        correction: {
          summary: 'A correction: a lower value needs a reason',
          value: { value: 120.5, asOf: '2024-05-31', correctionReason: '杭温铁路里程按正线长度重新核定' },
        },
        coordinator: {
          summary: 'The coordinator reporting for Shanghai',
          value: { value: 35.2, asOf: '2024-06-20', province: 'shanghai', note: '据上海市发改委通报' },
        },
      },
    },
    responses: {
      201: {
        description:
          "Recorded, with the project's progress including it. A replay (same key, same body) returns the first response byte for byte, with `Idempotent-Replayed: true`.",
        content: { [JSON_MEDIA_TYPE]: { schema: recordedMilestoneSchema } },
        headers: ['Idempotent-Replayed'],
      },
      400: problemResponse(
        '`validation-failed`: malformed project id or JSON, a missing or malformed `Idempotency-Key`, an invalid field (text holding a control, bidirectional formatting or lone surrogate character included), a value that does not fit the project (decimals on a count, more than ten times the target, `asOf` before the start or in the future), or the coordinator not naming the province.',
        {
          invalidBody: problemExample(
            'Fields that are not valid',
            invalid('The milestone report is not valid.', [
              { field: 'value', message: 'must not be negative' },
              { field: 'asOf', message: 'must be a real calendar date' },
            ]),
            MILESTONES_EXAMPLE_PATH,
          ),
          doesNotFit: problemExample(
            'A probable unit slip',
            invalid('The report does not fit project rail-2024.', [
              { field: 'value', message: 'is more than 10 times the target of 660; check the unit' },
            ]),
            MILESTONES_EXAMPLE_PATH,
          ),
          idempotencyKey: problemExample(
            'No Idempotency-Key',
            invalid(
              'Send an Idempotency-Key header (for example a UUID) so that a retry is not recorded twice.',
              [{ field: 'Idempotency-Key', message: 'header is required' }],
            ),
            MILESTONES_EXAMPLE_PATH,
          ),
          coordinatorProvince: problemExample(
            'The coordinator without a province',
            invalid('The coordinator must name the province it reports for.', [
              { field: 'province', message: 'required when the coordinator reports' },
            ]),
            MILESTONES_EXAMPLE_PATH,
          ),
          malformedJson: milestones.malformedJson,
        },
      ),
      401: milestones.unauthenticated(CALLER_UNAUTHENTICATED),
      403: problemResponse(
        '`forbidden`: a province office reporting for another province; or the token carries no role of this product.',
        {
          otherProvince: problemExample(
            'Jiangsu reporting for Zhejiang',
            new ForbiddenError('The jiangsu office may report only for jiangsu, not for zhejiang.'),
            MILESTONES_EXAMPLE_PATH,
          ),
          ...milestones.forbiddenRole,
        },
      ),
      404: unknownProject(MILESTONES_EXAMPLE_PATH),
      409: problemResponse(
        'Nothing was written. `decrease-without-correction-reason`: a lower value needs a `correctionReason`. `backfill-exceeds-current-value`: an older `asOf` cannot exceed the current value. `idempotency-key-reused`: the key was used for a different report. `concurrent-modification`: other reports for the province kept arriving at the same moment; retry with the same key after `Retry-After`.',
        {
          decrease: problemExample(
            'A lower value without a reason',
            new ConflictError(
              'decrease-without-correction-reason',
              'The current value is 210 as of 2024-06-30; a lower value (200) is a correction and needs a correctionReason.',
            ),
            MILESTONES_EXAMPLE_PATH,
          ),
          backfill: problemExample(
            'A backfill above the current value',
            new ConflictError(
              'backfill-exceeds-current-value',
              'A value of 220 as of 2024-05-31 exceeds the current value 210 as of 2024-06-30; cumulative values do not fall over time. Report it with the later date instead.',
            ),
            MILESTONES_EXAMPLE_PATH,
          ),
          keyReused: problemExample(
            'The same key for another report',
            new ConflictError(
              'idempotency-key-reused',
              'This Idempotency-Key was already used for a different report; use a new key for a new report.',
            ),
            MILESTONES_EXAMPLE_PATH,
          ),
          concurrent: problemExample(
            'Contention that outlasted the retries',
            new ConflictError(
              'concurrent-modification',
              'Other reports for jiangsu kept arriving at the same moment; retry with the same Idempotency-Key.',
            ),
            MILESTONES_EXAMPLE_PATH,
          ),
        },
        ['Retry-After'],
      ),
      413: milestones.tooLarge,
      415: milestones.unsupported,
      503: problemResponse(
        '`service-unavailable`: the database is throttling or unreachable, kept reporting conflicting transactions, or the request ran out of time. Retry with the same `Idempotency-Key` after `Retry-After` seconds.',
        {
          unavailable: problemExample(
            'Conflicting transactions',
            new ServiceUnavailableError(
              'The database kept reporting conflicting transactions; retry with the same Idempotency-Key.',
              1,
            ),
            MILESTONES_EXAMPLE_PATH,
          ),
        },
        ['Retry-After'],
      ),
      500: milestones.internal,
    },
  },
};
