/**
 * The examples of the API description: one consistent story, Jiangsu's report of 2024-06-30 on
 * the 2024 rail project. They are attached to the response components only when the document is
 * built (COMPONENT_EXAMPLES, read by functions/http/spec/), so that the handlers, which validate
 * with the same schemas, never load them.
 */
import type * as z from 'zod/mini';
import { CATALOGUE_2024 } from '../../domain/catalogue-2024.js';
import type { Province } from '../../domain/provinces.js';
import { actor } from './common.js';
import { milestonePageSchema, milestoneSchema, recordedMilestoneSchema } from './milestones.js';
import { fieldIssueSchema, gatewayErrorSchema, problemSchema } from './problems.js';
import {
  localizedText,
  projectListSchema,
  projectProgressSchema,
  projectSchema,
  projectWithProgressSchema,
  provinceProgressSchema,
} from './projects.js';
import {
  createdSubscriptionSchema,
  deliveryListSchema,
  deliverySchema,
  replaySchema,
  rotatedSecretSchema,
  subscriptionListSchema,
  subscriptionSchema,
} from './subscriptions.js';
import { healthSchema } from './system.js';

/** A 2024 catalogue entry as stored: the examples tell the catalogue's own story. */
const catalogueProject = (id: string) => {
  const entry = CATALOGUE_2024.find((project) => project.id === id);
  if (!entry) throw new Error(`The 2024 catalogue has no ${id}`);
  return { ...entry, version: 1, updatedAt: '2024-01-01T00:00:00.000Z' };
};

export const RAIL_PROJECT = catalogueProject('rail-2024');
const MEDICAL_PROJECT = catalogueProject('medical-insurance-2024');

/** A province that has not reported on the project yet: overdue, at 0 % of its target if it has one. */
const neverReported = (province: Province, target: number | null) => ({
  province,
  value: 0,
  target,
  percent: target === null ? null : 0,
  asOf: null,
  lastReportedAt: null,
  daysSinceLastReport: null,
  reportCount: 0,
  reportOverdue: true,
});

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
    neverReported('anhui', null),
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
    neverReported('jiangsu', 12),
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
    neverReported('anhui', 12),
  ],
  lastReportedAt: '2024-06-17T01:00:00.000Z',
} as const;

const JIANGSU_ACTOR = {
  subject: '3f1c9a52-7e0b-4d2a-9c1e-5b8d2f6a4e10',
  username: 'jiangsu-office',
  role: 'jiangsu',
} as const;

export const JIANGSU_MILESTONE = {
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
  correlationId: 'jiangsu-rail-2024-06-30',
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

export const SUBSCRIPTION = {
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
  correlationId: 'jiangsu-rail-2024-06-30',
  status: 'retrying',
  attempts: 2,
  lastStatus: 503,
  lastError: 'HTTP 503',
  nextRetryAt: '2024-06-30T04:06:01.000Z',
  updatedAt: '2024-06-30T04:01:01.000Z',
} as const;

/** Jiangsu's replay of June, under way. */
export const REPLAY = {
  id: '5d7c2a90-8f1e-4b3a-9c6d-2e4f1a7b8c90',
  subscriptionId: SUBSCRIPTION.id,
  since: '2024-06-01T00:00:00Z',
  until: '2024-07-01T08:00:00.000Z',
  state: 'running',
  counts: { matched: 120, queued: 117, skippedAlreadyPending: 2, stuckRequeued: 1 },
  pages: 2,
  createdAt: '2024-07-01T08:00:00.000Z',
  updatedAt: '2024-07-01T08:00:03.000Z',
  error: null,
} as const;

const FIELD_ISSUE = { field: 'asOf', message: 'must be a real calendar date' } as const;

/** The example of each response component, by its schema. */
export const COMPONENT_EXAMPLES: ReadonlyMap<z.ZodMiniType, unknown> = new Map<z.ZodMiniType, unknown>([
  [localizedText, RAIL_PROJECT.name],
  [actor, JIANGSU_ACTOR],
  [projectSchema, RAIL_PROJECT],
  [provinceProgressSchema, JIANGSU_RAIL_PROGRESS],
  [projectProgressSchema, RAIL_PROGRESS],
  [projectWithProgressSchema, { project: RAIL_PROJECT, progress: RAIL_PROGRESS }],
  [
    projectListSchema,
    {
      year: 2024,
      projects: [
        { project: RAIL_PROJECT, progress: RAIL_PROGRESS },
        { project: MEDICAL_PROJECT, progress: MEDICAL_PROGRESS },
      ],
    },
  ],
  [milestoneSchema, JIANGSU_MILESTONE],
  [recordedMilestoneSchema, { milestone: JIANGSU_MILESTONE, progress: RAIL_PROGRESS }],
  [
    milestonePageSchema,
    {
      projectId: 'rail-2024',
      milestones: [JIANGSU_MILESTONE, ZHEJIANG_CORRECTION],
      nextCursor:
        'eyJQSyI6IlBST0pFQ1QjcmFpbC0yMDI0IiwiU0siOiJNSUxFU1RPTkUjMjAyNC0wNS0zMSMyMDI0LTA2LTAzVDAxOjMwOjAwLjAwMFojMmI3ZDRjMTEtNWUzYS00ZjZiLThjMmQtOWExZTdmM2I2ZDU0In0',
    },
  ],
  [subscriptionSchema, SUBSCRIPTION],
  [
    createdSubscriptionSchema,
    { ...SUBSCRIPTION, secret: 'whsec_x2qHqmV7UBiiRBWRayh8GoCD/m/1q7hhVMu3bUGZSIs=' },
  ],
  [
    rotatedSecretSchema,
    {
      subscriptionId: SUBSCRIPTION.id,
      secret: 'whsec_QZx7cD0n1Hc0m2bq6yJp8Xk8s5dYv6Ew3uJ2tq9Lr0A=',
      previousSecretExpiresAt: '2024-06-02T02:00:00.000Z',
    },
  ],
  [subscriptionListSchema, { subscriptions: [SUBSCRIPTION] }],
  [deliverySchema, DELIVERY],
  [deliveryListSchema, { subscriptionId: SUBSCRIPTION.id, deliveries: [DELIVERY] }],
  [replaySchema, REPLAY],
  [healthSchema, { status: 'ok' }],
  [fieldIssueSchema, FIELD_ISSUE],
  [
    problemSchema,
    {
      type: 'urn:livelihood-tracker:problem:validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'The milestone report is not valid.',
      instance: '/projects/rail-2024/milestones',
      errors: [FIELD_ISSUE],
    },
  ],
  [gatewayErrorSchema, { message: 'Unauthorized' }],
]);
