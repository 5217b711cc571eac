/**
 * What each route of ROUTES takes and answers, for the OpenAPI document (functions/http/openapi.ts):
 * path parameters, query, headers and body as the zod schemas the handlers validate with, and
 * every response with its status, media types, headers and schema. Error responses list the
 * problem types the route can produce; their examples are made by the real `problemFromError`.
 * tests/contract/openapi.test.ts checks that every route has an entry; the contract test of the
 * responses calls the real handlers and validates their answers against what is declared here.
 */
import { z } from 'zod';
import {
  ConflictError,
  ForbiddenError,
  NotAcceptableError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  type TrackerError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors.js';
import {
  MILESTONE_CSV_PAGE_MAX,
  MILESTONE_PAGE_DEFAULT,
  MILESTONE_PAGE_MAX,
  milestoneHistoryQuery,
  milestoneReportBody,
} from '../schemas/milestone-schema.js';
import { projectBody, projectId, projectListQuery } from '../schemas/project-schema.js';
import {
  createdSubscriptionSchema,
  deliveryListSchema,
  gatewayErrorSchema,
  healthSchema,
  milestonePageSchema,
  openApiDocumentSchema,
  problemSchema,
  projectListSchema,
  projectWithProgressSchema,
  RAIL_PROJECT,
  recordedMilestoneSchema,
  replayResultSchema,
  subscriptionListSchema,
} from '../schemas/responses.js';
import {
  deliveriesQuery,
  replayBody,
  subscriptionBody,
  subscriptionIdParam,
} from '../schemas/subscription-schema.js';
import { toCsv } from './csv.js';
import { MAX_BODY_BYTES } from './middleware.js';
import { MILESTONE_CSV_HEADER } from './milestone-csv.js';
import { internalProblem, PROBLEM_CONTENT_TYPE, problemFromError } from './problem.js';
import { IDEMPOTENCY_KEY_PATTERN } from './request.js';

/** The rail project as the coordinator would PUT it: the stored entry without its identity and bookkeeping. */
const { id: _railId, version: _railVersion, updatedAt: _railUpdatedAt, ...railDefinition } = RAIL_PROJECT;

export const JSON_MEDIA_TYPE = 'application/json';
export const CSV_MEDIA_TYPE = 'text/csv';
export const HTML_MEDIA_TYPE = 'text/html';

export interface Example {
  summary: string;
  description?: string;
  value: unknown;
}

export interface MediaSpec {
  schema: z.ZodType;
  examples?: Readonly<Record<string, Example>>;
}

export interface HeaderSpec {
  description: string;
  schema: z.ZodType;
}

export interface ResponseSpec {
  description: string;
  content?: Readonly<Record<string, MediaSpec>>;
  headers?: readonly ResponseHeaderName[];
}

export interface HeaderParameterSpec {
  name: string;
  required: boolean;
  description: string;
  schema: z.ZodType;
  example?: string;
}

export interface RouteSchema {
  tag: TagName;
  description: string;
  /** One property per `{name}` of the path. */
  pathParams?: z.ZodObject;
  /** One property per query parameter; its JSON Schema is taken from the parsed (output) type. */
  query?: z.ZodObject;
  headers?: readonly HeaderParameterSpec[];
  body?: { description: string; schema: z.ZodType; examples: Readonly<Record<string, Example>> };
  /** By status code; every status a route can answer with (statuses ≥ 400 are problem documents). */
  responses: Readonly<Record<number, ResponseSpec>>;
}

export const TAGS = {
  Projects: 'The annual catalogue of livelihood projects and their progress (三省一市).',
  Milestones: "The provinces' cumulative reports: recording one, reading the history.",
  Subscriptions: 'Webhooks: subscribing, seeing deliveries, replaying events.',
  Service: 'The dashboard page, this description and the liveness check.',
} as const;
export type TagName = keyof typeof TAGS;

/** Response headers, shared as components of the document. */
export const RESPONSE_HEADERS = {
  'Retry-After': {
    description:
      'Seconds to wait before retrying. A report is retried with the same Idempotency-Key: it is recorded at most once.',
    schema: z.number().int().min(0).meta({ example: 1 }),
  },
  'WWW-Authenticate': {
    description: 'The authentication scheme this API expects.',
    schema: z.string().meta({ example: 'Bearer' }),
  },
  'Idempotent-Replayed': {
    description:
      'Present (`true`) when this is the stored response of an earlier request with the same Idempotency-Key and body: nothing was written this time.',
    schema: z.literal('true'),
  },
  Location: {
    description: 'The path of the resource created.',
    schema: z.string().meta({ example: '/subscriptions/0b6c1f1e-2f0e-4d55-9a55-3f7b2c1d9e01' }),
  },
  Link: {
    description:
      'The next page, when there is one: `<path?…&cursor=…>; rel="next"` (RFC 8288). Absent on the last page.',
    schema: z
      .string()
      .meta({ example: '</projects/rail-2024/milestones?limit=2&cursor=eyJQSyI6…>; rel="next"' }),
  },
  'Content-Disposition': {
    description: 'CSV only: a download named after the project.',
    schema: z.string().meta({ example: 'attachment; filename="rail-2024-milestones.csv"' }),
  },
  ETag: {
    description:
      'The version of this document; send it back in `If-None-Match` to get `304` while it is unchanged.',
    schema: z.string().meta({ example: '"k3Xn0eV1tq1A4kW5sQ2w9g"' }),
  },
  'Cache-Control': {
    description: 'How long the response may be reused.',
    schema: z.string().meta({ example: 'public, max-age=300' }),
  },
} as const satisfies Record<string, HeaderSpec>;
export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

// ---------------------------------------------------------------------------------------------
// Problem responses

const problemExample = (summary: string, error: TrackerError, instance: string): Example => ({
  summary,
  value: JSON.parse(problemFromError(error, instance).body) as unknown,
});

const problemResponse = (
  description: string,
  examples: Record<string, Example>,
  headers?: readonly ResponseHeaderName[],
): ResponseSpec => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema, examples } },
  ...(headers ? { headers } : {}),
});

const invalid = (message: string, issues: { field: string; message: string }[]) =>
  new ValidationError(message, issues);

/** The errors any route may produce, for a route whose example path is `instance`. */
const common = (instance: string) => ({
  /** 401 from the handler or the local runtime (a problem), or from API Gateway's authorizer (its own body). */
  unauthenticated: (when: string): ResponseSpec => ({
    description: `\`unauthenticated\`: ${when}. In AWS, API Gateway's JWT authorizer answers a missing or invalid token itself with \`{"message":"Unauthorized"}\`; the handlers and the local runtime answer with a problem document.`,
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: problemSchema,
        examples: {
          missing: problemExample(
            'No token',
            new UnauthenticatedError('This request needs an Authorization: Bearer <token> header.'),
            instance,
          ),
          expired: problemExample(
            'An expired token (local runtime)',
            new UnauthenticatedError('The bearer token has expired; get a new one.'),
            instance,
          ),
        },
      },
      [JSON_MEDIA_TYPE]: {
        schema: gatewayErrorSchema,
        examples: {
          gateway: { summary: "API Gateway's JWT authorizer", value: { message: 'Unauthorized' } },
        },
      },
    },
    headers: ['WWW-Authenticate'],
  }),
  /** 403 for a token that names no role of this product, or several provinces. */
  forbiddenRole: {
    noRole: problemExample(
      'A token without a role of this product',
      new ForbiddenError('The token carries no role of this product (a province office or the coordinator).'),
      instance,
    ),
    twoProvinces: problemExample(
      'A token in two province groups',
      new ForbiddenError('The token names more than one province office; use one account per office.'),
      instance,
    ),
  },
  tooLarge: problemResponse(`\`payload-too-large\`: the body is over ${MAX_BODY_BYTES / 1024} KB.`, {
    tooLarge: problemExample(
      'A body over the limit',
      new PayloadTooLargeError(`The body is 20480 bytes; the limit is ${MAX_BODY_BYTES} bytes.`),
      instance,
    ),
  }),
  unsupported: problemResponse('`unsupported-media-type`: the body was not sent as `application/json`.', {
    notJson: problemExample(
      'A form body',
      new UnsupportedMediaTypeError(
        'Send the body as application/json, not application/x-www-form-urlencoded.',
      ),
      instance,
    ),
  }),
  malformedJson: problemExample(
    'A body that is not JSON',
    invalid('The body is not valid JSON.', [{ field: '(body)', message: 'must be valid JSON' }]),
    instance,
  ),
  unavailable: problemResponse(
    '`service-unavailable`: the database is throttling or unreachable, or the request ran out of time. Retry after `Retry-After` seconds.',
    {
      unavailable: problemExample(
        'The database is busy',
        new ServiceUnavailableError('The database is busy or unreachable; retry shortly.', 1),
        instance,
      ),
    },
    ['Retry-After'],
  ),
  internal: problemResponse(
    'Anything unexpected: a plain message with a reference to the logs (`type` is `about:blank`), never internals.',
    {
      internal: {
        summary: 'An unexpected failure',
        value: JSON.parse(internalProblem('c0a8012e-6f1d-4b9a-8e37-2d5f0c9b1a44', instance).body) as unknown,
      },
    },
  ),
});

// ---------------------------------------------------------------------------------------------
// Parameters

const projectIdParam = z.object({
  projectId: projectId.meta({
    description: 'The project id: lower-case letters, digits and hyphens',
    example: 'rail-2024',
  }),
});

const subscriptionIdPath = z.object({
  subscriptionId: subscriptionIdParam.meta({
    description: 'The subscription id returned when it was created',
    example: '0b6c1f1e-2f0e-4d55-9a55-3f7b2c1d9e01',
  }),
});

/** Adds a description to each query parameter without changing which parameters there are. */
const describeQuery = (schema: z.ZodObject, descriptions: Record<string, string>): z.ZodObject =>
  z.object(
    Object.fromEntries(
      Object.entries(schema.shape).map(([name, property]) => {
        const description = descriptions[name];
        return [name, description === undefined ? property : (property as z.ZodType).meta({ description })];
      }),
    ),
  );

const MILESTONES_EXAMPLE_PATH = '/projects/rail-2024/milestones';
const SUBSCRIPTION_EXAMPLE_ID = '0b6c1f1e-2f0e-4d55-9a55-3f7b2c1d9e01';

const CSV_EXAMPLE = toCsv(MILESTONE_CSV_HEADER, [
  [
    '2024-06-30T04:00:00.000Z',
    'rail-2024',
    'jiangsu',
    '江苏省',
    '2024-06-30',
    210,
    'report',
    150.3,
    '2024-05-31',
    null,
    '沪苏湖铁路开通',
    'https://example.gov.cn/notice/123',
    'jiangsu-office',
    'jiangsu',
    '6f1c2a0e-8c1b-4d2e-9a55-3f7b2c1d9e01',
  ],
]);

// ---------------------------------------------------------------------------------------------
// The routes

const projects = common('/projects');
const project = common('/projects/rail-2024');
const putProjectErrors = common('/projects/elderly-care-2024');
const milestones = common(MILESTONES_EXAMPLE_PATH);
const subscriptions = common('/subscriptions');
const subscription = common(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}`);
const deliveries = common(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/deliveries`);
const replay = common(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/replay`);
const service = common('/health');

const readerUnauthenticated = 'a stage with `publicReads: false` requires a valid bearer token for reading';
const callerUnauthenticated = 'no bearer token, or one that is invalid or expired';

const unknownProject = (instance: string) =>
  problemResponse('`not-found`: there is no project with this id.', {
    unknownProject: problemExample(
      'An unknown project',
      new NotFoundError('There is no project rail-2025.'),
      instance.replace('rail-2024', 'rail-2025'),
    ),
  });

const unknownSubscription = (instance: string) =>
  problemResponse(
    "`not-found`: there is no such subscription, or it belongs to another office (offices learn nothing of each other's subscriptions).",
    {
      unknownSubscription: problemExample(
        'An unknown subscription',
        new NotFoundError(`There is no subscription ${SUBSCRIPTION_EXAMPLE_ID}.`),
        instance,
      ),
    },
  );

const forbiddenRoleResponse = (errors: ReturnType<typeof common>) =>
  problemResponse(
    '`forbidden`: the token carries no role of this product, or names more than one province office.',
    errors.forbiddenRole,
  );

const subscriptionPathInvalid = (instance: string) =>
  problemExample(
    'A malformed subscription id',
    invalid('The path is not valid.', [{ field: 'subscriptionId', message: 'must be a subscription id' }]),
    instance,
  );

export const ROUTE_SCHEMAS: Readonly<Record<string, RouteSchema>> = {
  getDashboard: {
    tag: 'Service',
    description:
      'The progress dashboard: an HTML page that reads this API like any other client (`GET /projects`).',
    responses: {
      200: {
        description: 'The page.',
        content: { [HTML_MEDIA_TYPE]: { schema: z.string() } },
      },
      500: service.internal,
    },
  },

  getOpenApi: {
    tag: 'Service',
    description:
      'This document, generated from the same zod schemas the handlers validate with (also committed as `openapi.json`).',
    headers: [
      {
        name: 'If-None-Match',
        required: false,
        description: 'The `ETag` of a copy the client holds: `304` while the document is unchanged.',
        schema: z.string(),
        example: '"k3Xn0eV1tq1A4kW5sQ2w9g"',
      },
    ],
    responses: {
      200: {
        description: 'The OpenAPI 3.1 document.',
        content: { [JSON_MEDIA_TYPE]: { schema: openApiDocumentSchema } },
        headers: ['ETag', 'Cache-Control'],
      },
      304: {
        description: 'The copy named by `If-None-Match` is current.',
        headers: ['ETag', 'Cache-Control'],
      },
      500: service.internal,
    },
  },

  getHealth: {
    tag: 'Service',
    description: 'Liveness: the function runs. It deliberately does not touch the database.',
    responses: {
      200: { description: 'Alive.', content: { [JSON_MEDIA_TYPE]: { schema: healthSchema } } },
      500: service.internal,
    },
  },

  listProjects: {
    tag: 'Projects',
    description:
      "Every project of one annual list with the region's and each province's progress, computed now (dates in China, UTC+8).",
    query: describeQuery(projectListQuery.partial(), {
      year: 'The annual list (2000–2100); default: the current year in China',
    }),
    responses: {
      200: {
        description: 'The projects of the year, possibly none.',
        content: { [JSON_MEDIA_TYPE]: { schema: projectListSchema } },
      },
      400: problemResponse(
        '`validation-failed`: the year is not a whole number from 2000 to 2100, or an unknown query parameter was sent.',
        {
          badYear: problemExample(
            'A year that is not a number',
            invalid('The query is not valid.', [
              { field: 'year', message: 'Invalid input: expected number, received NaN' },
            ]),
            '/projects',
          ),
        },
      ),
      401: projects.unauthenticated(readerUnauthenticated),
      503: projects.unavailable,
      500: projects.internal,
    },
  },

  getProject: {
    tag: 'Projects',
    description: 'One catalogue entry with its region and per-province progress.',
    pathParams: projectIdParam,
    responses: {
      200: {
        description: 'The project and its progress.',
        content: { [JSON_MEDIA_TYPE]: { schema: projectWithProgressSchema } },
      },
      400: problemResponse('`validation-failed`: the project id is malformed.', {
        badId: problemExample(
          'A malformed project id',
          invalid('The path is not valid.', [
            { field: 'projectId', message: 'must be lower-case letters, digits and hyphens' },
          ]),
          '/projects/Rail_2024',
        ),
      }),
      401: project.unauthenticated(readerUnauthenticated),
      404: unknownProject('/projects/rail-2024'),
      503: project.unavailable,
      500: project.internal,
    },
  },

  putProject: {
    tag: 'Projects',
    description:
      'The coordinator creates (`201`) or replaces (`200`) a catalogue entry. The year is fixed once created; progress already reported is kept and measured against the new target.',
    pathParams: projectIdParam,
    body: {
      description: 'The full catalogue entry; omitted fields take their defaults.',
      schema: projectBody,
      examples: {
        elderlyCare: {
          summary: 'Set the target of 养老服务一体化, split between the provinces',
          value: {
            year: 2024,
            name: { zh: '养老服务一体化', en: 'Integrated elderly-care services' },
            metric: { zh: '异地养老服务机构', en: 'Cross-province elderly-care facilities' },
            unit: { zh: '家', en: 'facilities' },
            target: 100,
            aggregation: 'sum',
            provinceTargets: { shanghai: 25, jiangsu: 25, zhejiang: 25, anhui: 25 },
          },
        },
        rail: {
          summary: 'The 2024 rail project, every field given',
          value: railDefinition,
        },
      },
    },
    responses: {
      200: {
        description: 'The entry was replaced (its `version` went up).',
        content: { [JSON_MEDIA_TYPE]: { schema: projectWithProgressSchema } },
      },
      201: {
        description: 'The entry was created (version 1).',
        content: { [JSON_MEDIA_TYPE]: { schema: projectWithProgressSchema } },
      },
      400: problemResponse(
        '`validation-failed`: malformed project id, malformed JSON, a field out of range or unknown, a deadline before the start, province targets on an `each` project or without a regional target.',
        {
          invalidBody: problemExample(
            'Fields out of range',
            invalid('The project definition is not valid.', [
              { field: 'name.zh', message: 'must not be empty' },
              { field: 'aggregation', message: 'Invalid option: expected one of "sum"|"each"' },
            ]),
            '/projects/elderly-care-2024',
          ),
          inconsistent: problemExample(
            'Province targets without a regional target',
            invalid('The definition of project elderly-care-2024 is not valid.', [
              { field: 'provinceTargets', message: 'need a regional target as well' },
            ]),
            '/projects/elderly-care-2024',
          ),
          malformedJson: putProjectErrors.malformedJson,
        },
      ),
      401: putProjectErrors.unauthenticated(callerUnauthenticated),
      403: problemResponse(
        '`forbidden`: only the coordinator defines projects; or the token carries no role of this product.',
        {
          notCoordinator: problemExample(
            'A province office',
            new ForbiddenError('Only the coordinator may define projects.'),
            '/projects/elderly-care-2024',
          ),
          ...putProjectErrors.forbiddenRole,
        },
      ),
      409: problemResponse(
        "`project-year-immutable`: the entry belongs to another year's list. `project-exists` or `concurrent-modification`: another request created or changed the entry at the same moment; read it again and retry.",
        {
          yearImmutable: problemExample(
            'Moving a project to another year',
            new ConflictError(
              'project-year-immutable',
              'Project elderly-care-2024 belongs to the 2024 list; create a new project for 2025.',
            ),
            '/projects/elderly-care-2024',
          ),
          exists: problemExample(
            'Created by another request at the same moment',
            new ConflictError('project-exists', 'Project elderly-care-2024 already exists.'),
            '/projects/elderly-care-2024',
          ),
          concurrent: problemExample(
            'Changed by another request at the same moment',
            new ConflictError(
              'concurrent-modification',
              'Project elderly-care-2024 was changed by another request; read it again and retry.',
            ),
            '/projects/elderly-care-2024',
          ),
        },
        ['Retry-After'],
      ),
      413: putProjectErrors.tooLarge,
      415: putProjectErrors.unsupported,
      503: putProjectErrors.unavailable,
      500: putProjectErrors.internal,
    },
  },

  listMilestones: {
    tag: 'Milestones',
    description: `The milestone history, newest as-of date first, a page at a time. JSON by default; CSV (UTF-8 with a byte-order mark, so that Excel shows Chinese correctly) with \`Accept: text/csv\` or \`?format=csv\`.`,
    pathParams: projectIdParam,
    query: describeQuery(
      milestoneHistoryQuery.extend({
        format: z.enum(['json', 'csv']).optional(),
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
            schema: z.string().meta({
              description:
                'One row per milestone, newest first, with a header row; cells a spreadsheet would run as a formula are prefixed with a quote.',
            }),
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
      401: milestones.unauthenticated(readerUnauthenticated),
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
    pathParams: projectIdParam,
    headers: [
      {
        name: 'Idempotency-Key',
        required: true,
        description:
          '1 to 255 visible ASCII characters, unique per report (a UUID is ideal). Keys belong to the caller and are kept 24 hours; the same key with a different body is refused (`409 idempotency-key-reused`).',
        schema: z.string().regex(IDEMPOTENCY_KEY_PATTERN),
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
        '`validation-failed`: malformed project id or JSON, a missing or malformed `Idempotency-Key`, an invalid field, a value that does not fit the project (decimals on a count, more than ten times the target, `asOf` before the start or in the future), or the coordinator not naming the province.',
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
      401: milestones.unauthenticated(callerUnauthenticated),
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

  createSubscription: {
    tag: 'Subscriptions',
    description:
      'Any office subscribes a webhook to events (empty filter lists mean "all"). In AWS the URL must be `https` and resolve only to public addresses, checked now and again at every delivery; the local stage also allows `http://localhost`. The signing secret is shown only in this response.',
    body: {
      description: 'Where to deliver and which events.',
      schema: subscriptionBody,
      examples: {
        jiangsu: {
          summary: "Jiangsu's development and reform commission, rail milestones and thresholds",
          value: {
            url: 'https://hooks.example.gov.cn/livelihood',
            eventTypes: ['MilestoneRecorded', 'ProgressThresholdReached'],
            projectIds: ['rail-2024'],
            provinces: [],
            description: '江苏省发改委',
          },
        },
        everything: {
          summary: 'Every event of every project',
          value: { url: 'https://hooks.example.gov.cn/all' },
        },
      },
    },
    responses: {
      201: {
        description: 'Subscribed. Keep the `secret`: it is not shown again.',
        content: { [JSON_MEDIA_TYPE]: { schema: createdSubscriptionSchema } },
        headers: ['Location'],
      },
      400: problemResponse(
        '`validation-failed`: malformed JSON, an unknown event type, a repeated filter value, or a webhook URL that is not allowed (not https, or a host that is or resolves to a private, loopback, link-local or reserved address).',
        {
          url: problemExample(
            'Plain http',
            invalid('The webhook URL is not allowed: it must use https', [
              { field: 'url', message: 'it must use https' },
            ]),
            '/subscriptions',
          ),
          privateAddress: problemExample(
            'A private address',
            invalid(
              'The webhook URL is not allowed: its host is a private, loopback or reserved IP address',
              [{ field: 'url', message: 'its host is a private, loopback or reserved IP address' }],
            ),
            '/subscriptions',
          ),
          malformedJson: subscriptions.malformedJson,
        },
      ),
      401: subscriptions.unauthenticated(callerUnauthenticated),
      403: forbiddenRoleResponse(subscriptions),
      413: subscriptions.tooLarge,
      415: subscriptions.unsupported,
      503: subscriptions.unavailable,
      500: subscriptions.internal,
    },
  },

  listSubscriptions: {
    tag: 'Subscriptions',
    description: "The caller's subscriptions (the coordinator's: every office's), never their secrets.",
    responses: {
      200: {
        description: 'The subscriptions that have not been deleted.',
        content: { [JSON_MEDIA_TYPE]: { schema: subscriptionListSchema } },
      },
      401: subscriptions.unauthenticated(callerUnauthenticated),
      403: forbiddenRoleResponse(subscriptions),
      503: subscriptions.unavailable,
      500: subscriptions.internal,
    },
  },

  deleteSubscription: {
    tag: 'Subscriptions',
    description:
      'Stops a subscription (its owner or the coordinator). Nothing more is delivered; the record is kept, marked deleted, for the audit trail.',
    pathParams: subscriptionIdPath,
    responses: {
      204: { description: 'Stopped.' },
      400: problemResponse('`validation-failed`: the subscription id is malformed.', {
        badId: subscriptionPathInvalid('/subscriptions/x'),
      }),
      401: subscription.unauthenticated(callerUnauthenticated),
      403: forbiddenRoleResponse(subscription),
      404: unknownSubscription(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}`),
      503: subscription.unavailable,
      500: subscription.internal,
    },
  },

  listDeliveries: {
    tag: 'Subscriptions',
    description:
      "A subscription's recent deliveries (its owner or the coordinator), most recent event first: status, attempts, the subscriber's last HTTP status and error, the next retry. Kept for 30 days.",
    pathParams: subscriptionIdPath,
    query: describeQuery(deliveriesQuery, { limit: 'How many, 1–100 (default 50)' }),
    responses: {
      200: {
        description: 'The deliveries.',
        content: { [JSON_MEDIA_TYPE]: { schema: deliveryListSchema } },
      },
      400: problemResponse(
        '`validation-failed`: a malformed subscription id, a limit out of range, or an unknown query parameter.',
        {
          limit: problemExample(
            'A limit out of range',
            invalid('The query is not valid.', [
              { field: 'limit', message: 'Too big: expected number to be <=100' },
            ]),
            `/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/deliveries`,
          ),
          badId: subscriptionPathInvalid('/subscriptions/x/deliveries'),
        },
      ),
      401: deliveries.unauthenticated(callerUnauthenticated),
      403: forbiddenRoleResponse(deliveries),
      404: unknownSubscription(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/deliveries`),
      503: deliveries.unavailable,
      500: deliveries.internal,
    },
  },

  replaySubscription: {
    tag: 'Subscriptions',
    description:
      "Re-delivers the subscription's events since a time (its owner or the coordinator), from the event log (90 days). Each keeps its `webhook-id`, so a subscriber that already has it can tell.",
    pathParams: subscriptionIdPath,
    body: {
      description: 'Where to start.',
      schema: replayBody,
      examples: {
        june: { summary: 'Everything since 1 June 2024', value: { since: '2024-06-01T00:00:00Z' } },
      },
    },
    responses: {
      202: {
        description: 'Queued for delivery.',
        content: { [JSON_MEDIA_TYPE]: { schema: replayResultSchema } },
      },
      400: problemResponse(
        '`validation-failed`: a malformed subscription id or JSON, or `since` is not an ISO 8601 date-time.',
        {
          since: problemExample(
            'A since that is not a date-time',
            invalid('The replay request is not valid.', [
              { field: 'since', message: 'must be an ISO 8601 date-time, e.g. 2024-06-30T00:00:00Z' },
            ]),
            `/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/replay`,
          ),
          badId: subscriptionPathInvalid('/subscriptions/x/replay'),
          malformedJson: replay.malformedJson,
        },
      ),
      401: replay.unauthenticated(callerUnauthenticated),
      403: forbiddenRoleResponse(replay),
      404: unknownSubscription(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/replay`),
      413: replay.tooLarge,
      415: replay.unsupported,
      503: replay.unavailable,
      500: replay.internal,
    },
  },
};
