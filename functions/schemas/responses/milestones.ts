/** What the milestone routes answer: milestones, and the page of a history. Component examples: examples.ts. */
import * as z from 'zod/mini';
import { MILESTONE_KINDS } from '../../domain/milestone.js';
import { calendarDate, province } from '../common.js';
import { actor, describedDate, timestamp } from './common.js';
import { projectProgressSchema } from './projects.js';

export const milestoneSchema = z
  .object({
    id: z.string().check(z.meta({ format: 'uuid' })),
    projectId: z.string(),
    province,
    value: z.number().check(z.describe('The cumulative value reported')),
    asOf: describedDate('The date the value refers to'),
    kind: z
      .enum(MILESTONE_KINDS)
      .check(
        z.describe(
          '`report`: becomes current. `correction`: becomes current and says why. `backfill`: an older date, kept as history only.',
        ),
      ),
    correctionReason: z.optional(z.string()),
    note: z.optional(z.string()),
    evidenceUrl: z.optional(z.string()).check(z.meta({ format: 'uri' })),
    previousValue: z
      .nullable(z.number())
      .check(z.describe("The province's current value before this report (null for its first)")),
    previousAsOf: z.nullable(calendarDate),
    recordedAt: timestamp('When the report was recorded'),
    recordedBy: actor,
    correlationId: z
      .optional(z.string())
      .check(
        z.describe(
          'The X-Correlation-Id of the request that recorded it: its events and deliveries carry it too (absent on reports recorded before it was kept)',
        ),
      ),
  })
  .check(
    z.meta({
      id: 'Milestone',
      description: "A province's cumulative value as of a date. Never edited or deleted.",
    }),
  );

export const recordedMilestoneSchema = z
  .object({ milestone: milestoneSchema, progress: projectProgressSchema })
  .check(
    z.meta({
      id: 'RecordedMilestone',
      description: "The milestone recorded and the project's progress including it.",
    }),
  );

export const milestonePageSchema = z
  .object({
    projectId: z.string(),
    milestones: z.array(milestoneSchema).check(z.describe('Newest as-of date first')),
    nextCursor: z
      .nullable(z.string())
      .check(
        z.describe('Pass as `cursor` for the next page (also in the `Link` header); null on the last page'),
      ),
  })
  .check(z.meta({ id: 'MilestonePage', description: "One page of a project's milestone history." }));
