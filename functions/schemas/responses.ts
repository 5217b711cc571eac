/**
 * The response bodies of the HTTP API as zod schemas: the single source of the OpenAPI
 * document's response components (functions/http/openapi.ts). Handlers build their bodies from
 * the domain types; tests/contract/api-responses.test.ts calls the real handlers and validates
 * what they return against the generated document, so these schemas cannot drift from them.
 */
import { z } from 'zod';
import { CATALOGUE_2024 } from '../domain/catalogue-2024.js';
import { PROVINCES, ROLES } from '../domain/provinces.js';
import { ALL_DETAIL_TYPES } from '../events/catalogue.js';
import type { DeliveryStatus } from '../storage/subscription-repository.js';
import { calendarDate } from './common.js';

// ---------------------------------------------------------------------------------------------
// Examples: one consistent story, Jiangsu's report of 2024-06-30 on the 2024 rail project.

/** A 2024 catalogue entry as stored: the examples tell the catalogue's own story. */
const catalogueProject = (id: string) => {
  const entry = CATALOGUE_2024.find((project) => project.id === id);
  if (!entry) throw new Error(`The 2024 catalogue has no ${id}`);
  return { ...entry, version: 1, updatedAt: '2024-01-01T00:00:00.000Z' };
};

export const RAIL_PROJECT = catalogueProject('rail-2024');
const MEDICAL_PROJECT = catalogueProject('medical-insurance-2024');

const JIANGSU_RAIL_PROGRESS = {
  province: 'jiangsu',
  value: 210,
  target: null,
  percent: null,
  asOf: '2024-06-30',
  lastReportedAt: '2024-06-30T04:00:00.000Z',
  daysSinceLastReport: 0,
  reportCount: 3,
  reportOverdue: false,
} as const;

const RAIL_PROGRESS = {
  projectId: 'rail-2024',
  aggregation: 'sum',
  total: 365.7,
  target: 660,
  percent: 55.41,
  expectedPercent: 49.59,
  status: 'on-track',
  provinces: [
    {
      province: 'shanghai',
      value: 35.2,
      target: null,
      percent: null,
      asOf: '2024-06-20',
      lastReportedAt: '2024-06-21T02:15:00.000Z',
      daysSinceLastReport: 9,
      reportCount: 2,
      reportOverdue: false,
    },
    JIANGSU_RAIL_PROGRESS,
    {
      province: 'zhejiang',
      value: 120.5,
      target: null,
      percent: null,
      asOf: '2024-05-31',
      lastReportedAt: '2024-06-03T01:30:00.000Z',
      daysSinceLastReport: 27,
      reportCount: 2,
      reportOverdue: false,
    },
    {
      province: 'anhui',
      value: 0,
      target: null,
      percent: null,
      asOf: null,
      lastReportedAt: null,
      daysSinceLastReport: null,
      reportCount: 0,
      reportOverdue: true,
    },
  ],
  lastReportedAt: '2024-06-30T04:00:00.000Z',
} as const;

const MEDICAL_PROGRESS = {
  projectId: 'medical-insurance-2024',
  aggregation: 'each',
  total: 18,
  target: 12,
  percent: 37.5,
  expectedPercent: 49.59,
  status: 'at-risk',
  provinces: [
    {
      province: 'shanghai',
      value: 12,
      target: 12,
      percent: 100,
      asOf: '2024-06-01',
      lastReportedAt: '2024-06-03T01:00:00.000Z',
      daysSinceLastReport: 27,
      reportCount: 1,
      reportOverdue: false,
    },
    {
      province: 'jiangsu',
      value: 0,
      target: 12,
      percent: 0,
      asOf: null,
      lastReportedAt: null,
      daysSinceLastReport: null,
      reportCount: 0,
      reportOverdue: true,
    },
    {
      province: 'zhejiang',
      value: 6,
      target: 12,
      percent: 50,
      asOf: '2024-06-15',
      lastReportedAt: '2024-06-17T01:00:00.000Z',
      daysSinceLastReport: 13,
      reportCount: 1,
      reportOverdue: false,
    },
    {
      province: 'anhui',
      value: 0,
      target: 12,
      percent: 0,
      asOf: null,
      lastReportedAt: null,
      daysSinceLastReport: null,
      reportCount: 0,
      reportOverdue: true,
    },
  ],
  lastReportedAt: '2024-06-17T01:00:00.000Z',
} as const;

const JIANGSU_ACTOR = {
  subject: '3f1c9a52-7e0b-4d2a-9c1e-5b8d2f6a4e10',
  username: 'jiangsu-office',
  role: 'jiangsu',
} as const;

const JIANGSU_MILESTONE = {
  id: '6f1c2a0e-8c1b-4d2e-9a55-3f7b2c1d9e01',
  projectId: 'rail-2024',
  province: 'jiangsu',
  value: 210,
  asOf: '2024-06-30',
  kind: 'report',
  note: '沪苏湖铁路开通',
  evidenceUrl: 'https://example.gov.cn/notice/123',
  previousValue: 150.3,
  previousAsOf: '2024-05-31',
  recordedAt: '2024-06-30T04:00:00.000Z',
  recordedBy: JIANGSU_ACTOR,
} as const;

const ZHEJIANG_CORRECTION = {
  id: '2b7d4c11-5e3a-4f6b-8c2d-9a1e7f3b6d54',
  projectId: 'rail-2024',
  province: 'zhejiang',
  value: 120.5,
  asOf: '2024-05-31',
  kind: 'correction',
  correctionReason: '杭温铁路里程按正线长度重新核定',
  previousValue: 121.8,
  previousAsOf: '2024-05-31',
  recordedAt: '2024-06-03T01:30:00.000Z',
  recordedBy: {
    subject: '8d2e4b6f-1a3c-4e5d-9f7a-0b1c2d3e4f5a',
    username: 'zhejiang-office',
    role: 'zhejiang',
  },
} as const;

const SUBSCRIPTION = {
  id: '0b6c1f1e-2f0e-4d55-9a55-3f7b2c1d9e01',
  owner: JIANGSU_ACTOR,
  url: 'https://hooks.example.gov.cn/livelihood',
  eventTypes: ['MilestoneRecorded', 'ProgressThresholdReached'],
  projectIds: ['rail-2024'],
  provinces: [],
  description: '江苏省发改委',
  status: 'active',
  disabledReason: null,
  createdAt: '2024-06-01T02:00:00.000Z',
  updatedAt: '2024-06-01T02:00:00.000Z',
} as const;

const DELIVERY = {
  eventId: 'a6282299-4b45-8e93-b44b-65150e766329',
  eventType: 'MilestoneRecorded',
  occurredAt: '2024-06-30T04:00:00.000Z',
  status: 'retrying',
  attempts: 2,
  lastStatus: 503,
  lastError: 'HTTP 503',
  nextRetryAt: '2024-06-30T04:06:01.000Z',
  updatedAt: '2024-06-30T04:01:01.000Z',
} as const;

// ---------------------------------------------------------------------------------------------
// Building blocks

const timestamp = (description: string, example = '2024-06-30T04:00:00.000Z') =>
  z.string().meta({ format: 'date-time', description, example });

const date = (description: string, example = '2024-06-30') => calendarDate.meta({ description, example });

export const localizedText = z
  .object({
    zh: z.string().meta({ description: 'Chinese (简体中文)' }),
    en: z.string().meta({ description: 'English' }),
  })
  .meta({
    id: 'LocalizedText',
    description: 'A text in Chinese and English.',
    example: RAIL_PROJECT.name,
  });

export const actor = z
  .object({
    subject: z.string().meta({ description: "The token's `sub`: stable per user" }),
    username: z.string().meta({ description: 'A display name for the audit trail' }),
    role: z.enum(ROLES).meta({ description: 'A province office or the coordinator (长三角区域合作办)' }),
  })
  .meta({
    id: 'Actor',
    description: 'Who did something, as established from the verified token (never from a request body).',
    example: JIANGSU_ACTOR,
  });

const province = z.enum(PROVINCES).meta({ description: 'One of the four provinces (三省一市)' });
const aggregation = z.enum(['sum', 'each']).meta({
  description:
    "`sum`: the provinces' values add up to the regional target. `each`: every province must reach the target on its own.",
});

// ---------------------------------------------------------------------------------------------
// Projects and progress

export const projectSchema = z
  .object({
    id: z.string().meta({ description: 'Lower-case letters, digits and hyphens', example: 'rail-2024' }),
    year: z
      .number()
      .int()
      .min(2000)
      .max(2100)
      .meta({ description: 'The annual list the project belongs to; never changes' }),
    name: localizedText,
    metric: localizedText
      .nullable()
      .meta({ description: 'What is counted; null while the source does not say' }),
    unit: localizedText.nullable(),
    allowDecimals: z
      .boolean()
      .meta({ description: 'Kilometres may carry up to three decimals; counts may not' }),
    target: z.number().nullable().meta({
      description: 'The regional target for `sum`, the per-province target for `each`; null while unset',
    }),
    targetIsMinimum: z.boolean().meta({ description: 'The source\'s "以上": the target is a floor' }),
    aggregation,
    startDate: date('Reports may not be dated earlier', RAIL_PROJECT.startDate),
    deadline: date('When the target is due', RAIL_PROJECT.deadline),
    provinceTargets: z
      .partialRecord(province, z.number())
      .meta({ description: 'Optional split of a `sum` target between the provinces' }),
    reportingIntervalDays: z
      .number()
      .int()
      .meta({ description: 'A province that has not reported for longer than this is overdue' }),
    atRiskTolerancePoints: z.number().meta({
      description: 'Percentage points behind the straight line from start to deadline before `at-risk`',
    }),
    version: z
      .number()
      .int()
      .min(1)
      .meta({ description: 'Incremented by every change of the catalogue entry' }),
    updatedAt: timestamp('When the catalogue entry last changed', RAIL_PROJECT.updatedAt),
  })
  .meta({
    id: 'Project',
    description: 'A catalogue entry: one livelihood project of an annual list.',
    example: RAIL_PROJECT,
  });

export const provinceProgressSchema = z
  .object({
    province,
    value: z.number().meta({ description: "The province's current cumulative value" }),
    target: z.number().nullable().meta({
      description: "The province's own target: the project's for `each`, its share (if set) for `sum`",
    }),
    percent: z
      .number()
      .nullable()
      .meta({ description: 'Of its own target, not capped (112.5 went past it)' }),
    asOf: calendarDate.nullable().meta({ description: 'The date the current value refers to' }),
    lastReportedAt: z.string().nullable().meta({ format: 'date-time', description: 'When it last reported' }),
    daysSinceLastReport: z.number().int().nullable(),
    reportCount: z
      .number()
      .int()
      .meta({ description: 'Reports recorded, backfills and corrections included' }),
    reportOverdue: z.boolean().meta({ description: 'No report for longer than `reportingIntervalDays`' }),
  })
  .meta({
    id: 'ProvinceProgress',
    description: "One province's standing on a project.",
    example: JIANGSU_RAIL_PROGRESS,
  });

export const PROJECT_STATUSES = ['completed', 'on-track', 'at-risk', 'overdue', 'no-target'] as const;

export const projectProgressSchema = z
  .object({
    projectId: z.string(),
    aggregation,
    total: z.number().meta({ description: "Sum of the provinces' current values" }),
    target: z.number().nullable(),
    percent: z.number().nullable().meta({
      description:
        "`sum`: total / target, not capped. `each`: the mean of the provinces' percents, each capped at 100. Two decimals.",
    }),
    expectedPercent: z
      .number()
      .nullable()
      .meta({ description: 'Where a straight line from start (0 %) to deadline (100 %) stands today' }),
    status: z.enum(PROJECT_STATUSES).meta({
      description:
        '`at-risk`: more than `atRiskTolerancePoints` behind `expectedPercent`; `overdue`: deadline passed, not complete',
    }),
    provinces: z
      .array(provinceProgressSchema)
      .meta({ description: 'Always the four provinces, in a fixed order' }),
    lastReportedAt: z.string().nullable().meta({ format: 'date-time' }),
  })
  .meta({
    id: 'ProjectProgress',
    description: "The region's and each province's progress, computed when asked (dates in China, UTC+8).",
    example: RAIL_PROGRESS,
  });

export const projectWithProgressSchema = z
  .object({ project: projectSchema, progress: projectProgressSchema })
  .meta({
    id: 'ProjectWithProgress',
    description: 'A catalogue entry with its progress.',
    example: { project: RAIL_PROJECT, progress: RAIL_PROGRESS },
  });

export const projectListSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    projects: z.array(projectWithProgressSchema),
  })
  .meta({
    id: 'ProjectList',
    description: 'Every project of one annual list, with progress.',
    example: {
      year: 2024,
      projects: [
        { project: RAIL_PROJECT, progress: RAIL_PROGRESS },
        { project: MEDICAL_PROJECT, progress: MEDICAL_PROGRESS },
      ],
    },
  });

// ---------------------------------------------------------------------------------------------
// Milestones

export const milestoneSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    projectId: z.string(),
    province,
    value: z.number().meta({ description: 'The cumulative value reported' }),
    asOf: date('The date the value refers to'),
    kind: z.enum(['report', 'correction', 'backfill']).meta({
      description:
        '`report`: becomes current. `correction`: becomes current and says why. `backfill`: an older date, kept as history only.',
    }),
    correctionReason: z.string().optional(),
    note: z.string().optional(),
    evidenceUrl: z.string().optional().meta({ format: 'uri' }),
    previousValue: z
      .number()
      .nullable()
      .meta({ description: "The province's current value before this report (null for its first)" }),
    previousAsOf: calendarDate.nullable(),
    recordedAt: timestamp('When the report was recorded'),
    recordedBy: actor,
  })
  .meta({
    id: 'Milestone',
    description: "A province's cumulative value as of a date. Never edited or deleted.",
    example: JIANGSU_MILESTONE,
  });

export const recordedMilestoneSchema = z
  .object({ milestone: milestoneSchema, progress: projectProgressSchema })
  .meta({
    id: 'RecordedMilestone',
    description: "The milestone recorded and the project's progress including it.",
    example: { milestone: JIANGSU_MILESTONE, progress: RAIL_PROGRESS },
  });

export const milestonePageSchema = z
  .object({
    projectId: z.string(),
    milestones: z.array(milestoneSchema).meta({ description: 'Newest as-of date first' }),
    nextCursor: z.string().nullable().meta({
      description: 'Pass as `cursor` for the next page (also in the `Link` header); null on the last page',
    }),
  })
  .meta({
    id: 'MilestonePage',
    description: "One page of a project's milestone history.",
    example: {
      projectId: 'rail-2024',
      milestones: [JIANGSU_MILESTONE, ZHEJIANG_CORRECTION],
      nextCursor:
        'eyJQSyI6IlBST0pFQ1QjcmFpbC0yMDI0IiwiU0siOiJNSUxFU1RPTkUjMjAyNC0wNS0zMSMyMDI0LTA2LTAzVDAxOjMwOjAwLjAwMFojMmI3ZDRjMTEtNWUzYS00ZjZiLThjMmQtOWExZTdmM2I2ZDU0In0',
    },
  });

// ---------------------------------------------------------------------------------------------
// Subscriptions and deliveries

const subscriptionFields = {
  id: z.string().meta({ format: 'uuid' }),
  owner: actor,
  url: z.string().meta({ format: 'uri', description: 'Where deliveries are POSTed (Standard Webhooks)' }),
  eventTypes: z.array(z.enum(ALL_DETAIL_TYPES)).meta({ description: 'Empty: every type' }),
  projectIds: z.array(z.string()).meta({ description: 'Empty: every project' }),
  provinces: z.array(province).meta({ description: 'Empty: every province' }),
  description: z.string().nullable(),
  status: z.enum(['active', 'disabled', 'deleted']),
  disabledReason: z
    .string()
    .nullable()
    .meta({ description: 'Why deliveries stopped, e.g. the subscriber answered 410 Gone' }),
  createdAt: timestamp('When it was created', SUBSCRIPTION.createdAt),
  updatedAt: timestamp('When it last changed', SUBSCRIPTION.updatedAt),
};

export const subscriptionSchema = z.object(subscriptionFields).meta({
  id: 'Subscription',
  description: 'A webhook subscription, without its signing secret.',
  example: SUBSCRIPTION,
});

export const createdSubscriptionSchema = z
  .object({
    ...subscriptionFields,
    secret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/)
      .meta({
        description:
          'The Standard Webhooks signing secret: HMAC-SHA256 keyed with the base64-decoded part after `whsec_`. Shown only in this response.',
      }),
  })
  .meta({
    id: 'CreatedSubscription',
    description: 'A subscription just created, with its signing secret (shown only here: keep it).',
    example: { ...SUBSCRIPTION, secret: 'whsec_x2qHqmV7UBiiRBWRayh8GoCD/m/1q7hhVMu3bUGZSIs=' },
  });

export const subscriptionListSchema = z.object({ subscriptions: z.array(subscriptionSchema) }).meta({
  id: 'SubscriptionList',
  description: "The caller's subscriptions (the coordinator's: all of them).",
  example: { subscriptions: [SUBSCRIPTION] },
});

export const DELIVERY_STATUSES = [
  'queued',
  'sending',
  'delivered',
  'retrying',
  'dead-lettered',
  'dropped',
] as const satisfies readonly DeliveryStatus[];

export const deliverySchema = z
  .object({
    eventId: z
      .string()
      .meta({ format: 'uuid', description: 'Also the `webhook-id` header of every attempt' }),
    eventType: z.string().meta({ description: 'The detail-type', example: 'MilestoneRecorded' }),
    occurredAt: timestamp('When the event was committed'),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int().min(0),
    lastStatus: z.number().int().nullable().meta({ description: "The subscriber's last HTTP status" }),
    lastError: z.string().nullable(),
    nextRetryAt: z.string().nullable().meta({ format: 'date-time' }),
    updatedAt: timestamp('When this record last changed'),
  })
  .meta({
    id: 'Delivery',
    description: 'The delivery of one event to one subscription.',
    example: DELIVERY,
  });

export const deliveryListSchema = z
  .object({
    subscriptionId: z.string(),
    deliveries: z.array(deliverySchema).meta({ description: 'Most recent event first; kept for 30 days' }),
  })
  .meta({
    id: 'DeliveryList',
    description: 'Recent delivery attempts of one subscription.',
    example: { subscriptionId: SUBSCRIPTION.id, deliveries: [DELIVERY] },
  });

export const replayResultSchema = z
  .object({
    subscriptionId: z.string(),
    since: z.string().meta({ format: 'date-time', description: 'As sent' }),
    matched: z
      .number()
      .int()
      .meta({ description: "Logged events since then that match the subscription's filters" }),
    queued: z
      .number()
      .int()
      .meta({ description: 'Deliveries queued (an event already being sent is not queued twice)' }),
  })
  .meta({
    id: 'ReplayResult',
    description: 'What a replay queued.',
    example: { subscriptionId: SUBSCRIPTION.id, since: '2024-06-01T00:00:00Z', matched: 3, queued: 3 },
  });

// ---------------------------------------------------------------------------------------------
// Health, errors, the document itself

export const healthSchema = z.object({ status: z.literal('ok') }).meta({
  id: 'Health',
  description: 'The function runs (the database is not touched).',
  example: { status: 'ok' },
});

export const fieldIssueSchema = z
  .object({
    field: z.string().meta({
      description: 'Path of the offending field (`value`, `provinceTargets.jiangsu`), a header, or `(body)`',
    }),
    message: z.string(),
  })
  .meta({ id: 'FieldIssue', example: { field: 'asOf', message: 'must be a real calendar date' } });

export const problemSchema = z
  .object({
    type: z.string().meta({
      format: 'uri',
      description:
        '`urn:livelihood-tracker:problem:<code>` for every known error; `about:blank` for an unexpected one (500)',
    }),
    title: z.string().meta({ description: 'Short and the same for every occurrence of the type' }),
    status: z.number().int().min(400).max(599).meta({ description: 'The HTTP status code' }),
    detail: z.string().optional().meta({ description: 'This occurrence, written for the caller' }),
    instance: z.string().optional().meta({ description: 'The request path' }),
    errors: z
      .array(fieldIssueSchema)
      .optional()
      .meta({ description: 'Validation problems: every offending field' }),
  })
  .meta({
    id: 'Problem',
    description: 'An RFC 9457 problem document (`application/problem+json`).',
    example: {
      type: 'urn:livelihood-tracker:problem:validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'The milestone report is not valid.',
      instance: '/projects/rail-2024/milestones',
      errors: [{ field: 'asOf', message: 'must be a real calendar date' }],
    },
  });

export const gatewayErrorSchema = z.object({ message: z.string() }).meta({
  id: 'GatewayError',
  description: "API Gateway's own answer, e.g. its JWT authorizer refusing a missing or invalid token.",
  example: { message: 'Unauthorized' },
});

export const openApiDocumentSchema = z
  .looseObject({
    openapi: z.string().regex(/^3\.1\.\d+$/),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({
    id: 'OpenApiDocument',
    description: 'This API described in OpenAPI 3.1 (the document this schema is part of).',
  });
