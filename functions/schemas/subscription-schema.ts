import { z } from 'zod';
import { PROJECT_ID_PATTERN } from '../domain/project.js';
import { ALL_DETAIL_TYPES } from '../events/catalogue.js';
import { province } from './common.js';

const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `must list at most ${max}`)
    .refine((list) => new Set(list).size === list.length, 'must not repeat a value')
    .default([]);

/** Body of POST /subscriptions. Empty filter lists mean "all". */
export const subscriptionBody = z
  .strictObject({
    url: z.string().min(1, 'is required').max(2048),
    eventTypes: uniqueList(z.enum(ALL_DETAIL_TYPES), ALL_DETAIL_TYPES.length),
    projectIds: uniqueList(z.string().regex(PROJECT_ID_PATTERN, 'must be a project id'), 100),
    provinces: uniqueList(province, 4),
    description: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  })
  .meta({ id: 'SubscriptionRequest' });
export type SubscriptionBody = z.output<typeof subscriptionBody>;

/** Body of POST /subscriptions/{subscriptionId}/replay. */
export const replayBody = z
  .strictObject({
    since: z.iso.datetime({
      offset: true,
      error: 'must be an ISO 8601 date-time, e.g. 2024-06-30T00:00:00Z',
    }),
  })
  .meta({ id: 'ReplayRequest' });

export const subscriptionIdParam = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be a subscription id');

export const deliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
