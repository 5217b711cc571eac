/**
 * What the subscription routes take: a webhook subscription, a replay, the deliveries' query.
 * What they answer is in responses/subscriptions.ts, which no handler loads.
 */
import * as z from 'zod/mini';
import { PROJECT_ID_PATTERN } from '../domain/project.js';
import { ALL_DETAIL_TYPES } from '../events/catalogue.js';
import { printable, province } from './common.js';
import { hasNoRepeats } from './no-repeats.js';

const uniqueList = <T extends z.ZodMiniType>(item: T, max: number) =>
  z._default(
    z
      .array(item)
      .check(z.maxLength(max, `must list at most ${max}`), z.refine(hasNoRepeats, 'must not repeat a value')),
    [],
  );

/** Body of POST /subscriptions. Empty filter lists mean "all". */
export const subscriptionBody = z
  .strictObject({
    url: z.string().check(z.minLength(1, 'is required'), z.maxLength(2048), printable('one line')),
    eventTypes: uniqueList(z.enum(ALL_DETAIL_TYPES), ALL_DETAIL_TYPES.length),
    projectIds: uniqueList(z.string().check(z.regex(PROJECT_ID_PATTERN, 'must be a project id')), 100),
    provinces: uniqueList(province, 4),
    description: z.optional(
      z.string().check(z.trim(), z.maxLength(200, 'must be at most 200 characters'), printable('one line')),
    ),
  })
  .check(z.meta({ id: 'SubscriptionRequest' }));
export type SubscriptionBody = z.output<typeof subscriptionBody>;

/** Body of POST /subscriptions/{subscriptionId}/replay. */
export const replayBody = z
  .strictObject({
    since: z.iso.datetime({
      offset: true,
      error: 'must be an ISO 8601 date-time, e.g. 2024-06-30T00:00:00Z',
    }),
  })
  .check(z.meta({ id: 'ReplayRequest' }));

export const deliveriesQuery = z.strictObject({
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(100))),
});
