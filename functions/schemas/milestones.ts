/**
 * What the milestone routes take: a province's cumulative report, the query of the history.
 * What they answer is in responses/milestones.ts, which no handler loads.
 */
import * as z from 'zod/mini';
import { MILESTONE_CSV_PAGE_MAX } from '../domain/milestone-pages.js';
import { MAX_MILESTONE_VALUE } from '../domain/project.js';
import { calendarDate, freeText, printable, province } from './common.js';

/** Body of POST /projects/{projectId}/milestones. */
export const milestoneReportBody = z
  .strictObject({
    value: z.number({ error: 'must be a number' }).check(
      // z.number() refuses the infinities itself ('must be a number'): no check of its own.
      z.gte(0, 'must not be negative'),
      z.lte(MAX_MILESTONE_VALUE, `must be at most ${MAX_MILESTONE_VALUE}`),
      z.meta({ description: "The province's cumulative achievement as of `asOf`", example: 210 }),
    ),
    asOf: calendarDate.check(z.describe('The date the cumulative value refers to')),
    note: z.optional(freeText(1000, 'several lines')),
    evidenceUrl: z.optional(
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).check(
        z.maxLength(2048, 'must be at most 2048 characters'),
        printable('one line'),
        // The pattern's check takes the place of the URL format in JSON Schema: state it again.
        z.meta({ format: 'uri' }),
      ),
    ),
    correctionReason: z
      .optional(freeText(1000, 'several lines'))
      .check(z.describe('Required when the value is lower than the current one')),
    province: z.optional(province).check(z.describe('Only the coordinator names the province')),
  })
  .check(z.meta({ id: 'MilestoneReport' }));
export type MilestoneReportBody = z.output<typeof milestoneReportBody>;

export {
  MILESTONE_CSV_PAGE_MAX,
  MILESTONE_PAGE_DEFAULT,
  MILESTONE_PAGE_MAX,
} from '../domain/milestone-pages.js';

/** Query of GET /projects/{projectId}/milestones (query values arrive as strings). */
export const milestoneHistoryQuery = z.strictObject({
  province: z.optional(province),
  limit: z.optional(
    z.coerce
      .number()
      .check(
        z.int('must be a whole number'),
        z.gte(1, 'must be at least 1'),
        z.lte(MILESTONE_CSV_PAGE_MAX, `must be at most ${MILESTONE_CSV_PAGE_MAX}`),
      ),
  ),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
