/**
 * Milestones, the provinces' cumulative reports: what the milestone routes take (a report, the
 * query of the history) and what they answer. Component examples: examples.ts.
 */
import { z } from 'zod';
import { MILESTONE_KINDS } from '../domain/milestone.js';
import { MAX_MILESTONE_VALUE } from '../domain/project.js';
import { actor, calendarDate, describedDate, freeText, printable, province, timestamp } from './common.js';
import { projectProgressSchema } from './projects.js';

// ---------------------------------------------------------------------------------------------
// Requests

/** Body of POST /projects/{projectId}/milestones. */
export const milestoneReportBody = z
  .strictObject({
    value: z
      .number({ error: 'must be a number' })
      .finite('must be a finite number')
      .min(0, 'must not be negative')
      .max(MAX_MILESTONE_VALUE, `must be at most ${MAX_MILESTONE_VALUE}`)
      .meta({ description: "The province's cumulative achievement as of `asOf`", example: 210 }),
    asOf: calendarDate.meta({ description: 'The date the cumulative value refers to' }),
    note: freeText(1000, 'several lines').optional(),
    evidenceUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2048, 'must be at most 2048 characters')
      .check(printable('one line'))
      // The pattern's check takes the place of the URL format in JSON Schema: state it again.
      .meta({ format: 'uri' })
      .optional(),
    correctionReason: freeText(1000, 'several lines')
      .optional()
      .meta({ description: 'Required when the value is lower than the current one' }),
    province: province.optional().meta({ description: 'Only the coordinator names the province' }),
  })
  .meta({ id: 'MilestoneReport' });
export type MilestoneReportBody = z.output<typeof milestoneReportBody>;

export const MILESTONE_PAGE_DEFAULT = 50;
export const MILESTONE_PAGE_MAX = 200;
export const MILESTONE_CSV_PAGE_MAX = 5000;

/** Query of GET /projects/{projectId}/milestones (query values arrive as strings). */
export const milestoneHistoryQuery = z.strictObject({
  province: province.optional(),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MILESTONE_CSV_PAGE_MAX, `must be at most ${MILESTONE_CSV_PAGE_MAX}`)
    .optional(),
  cursor: z.string().max(2048).optional(),
});

// ---------------------------------------------------------------------------------------------
// Responses

export const milestoneSchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    projectId: z.string(),
    province,
    value: z.number().meta({ description: 'The cumulative value reported' }),
    asOf: describedDate('The date the value refers to'),
    kind: z.enum(MILESTONE_KINDS).meta({
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
    correlationId: z.string().optional().meta({
      description:
        'The X-Correlation-Id of the request that recorded it: its events and deliveries carry it too (absent on reports recorded before it was kept)',
    }),
  })
  .meta({
    id: 'Milestone',
    description: "A province's cumulative value as of a date. Never edited or deleted.",
  });

export const recordedMilestoneSchema = z
  .object({ milestone: milestoneSchema, progress: projectProgressSchema })
  .meta({
    id: 'RecordedMilestone',
    description: "The milestone recorded and the project's progress including it.",
  });

export const milestonePageSchema = z
  .object({
    projectId: z.string(),
    milestones: z.array(milestoneSchema).meta({ description: 'Newest as-of date first' }),
    nextCursor: z.string().nullable().meta({
      description: 'Pass as `cursor` for the next page (also in the `Link` header); null on the last page',
    }),
  })
  .meta({ id: 'MilestonePage', description: "One page of a project's milestone history." });
