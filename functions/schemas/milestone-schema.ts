import { z } from 'zod';
import { MAX_MILESTONE_VALUE } from '../domain/project.js';
import { calendarDate, province } from './common.js';

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

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
    note: text(1000).optional(),
    evidenceUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2048, 'must be at most 2048 characters')
      .optional(),
    correctionReason: text(1000)
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
