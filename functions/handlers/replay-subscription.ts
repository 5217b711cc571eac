import { subscriptionMatches } from '../domain/subscription.js';
import { callerFromEvent } from '../http/caller.js';
import { httpHandler, lazyHandler, readJsonBody } from '../http/middleware.js';
import { jsonResponse } from '../http/responses.js';
import { subscriptionFromPath } from '../http/subscription-request.js';
import { parseWith } from '../schemas/common.js';
import { replayBody } from '../schemas/subscriptions.js';
import { enqueueDeliveries } from '../services/enqueue-deliveries.js';
import {
  defaultSubscriptionDependencies,
  type SubscriptionDependencies,
} from '../services/subscription-dependencies.js';
import { EventRepository } from '../storage/event-repository.js';
import { SubscriptionRepository } from '../storage/subscription-repository.js';

/**
 * POST /subscriptions/{subscriptionId}/replay: re-delivers the subscription's events since a
 * time (from the event log, 90 days). Each keeps its webhook-id, so a subscriber that already
 * has one can tell.
 */
export const createReplaySubscriptionHandler = (deps: SubscriptionDependencies) => {
  const subscriptions = new SubscriptionRepository(deps);
  const events = new EventRepository(deps);
  return httpHandler(async ({ event }) => {
    const caller = callerFromEvent(event);
    const { id, subscription } = await subscriptionFromPath(event, caller, subscriptions);
    const { since } = parseWith(replayBody, readJsonBody(event), 'replay request');
    const logged = await events.eventsBetween(new Date(since), deps.now());
    const matching = logged.filter((e) =>
      subscriptionMatches(subscription, {
        detailType: e.detailType,
        projectId: e.detail.projectId,
        province: 'province' in e.detail ? e.detail.province : undefined,
      }),
    );
    let queued = 0;
    for (const e of matching) {
      queued += await enqueueDeliveries(
        { subscriptions, sqs: deps.sqs, queueUrl: deps.deliveryQueueUrl, now: deps.now },
        e,
        [subscription],
        { replay: true },
      );
    }
    return jsonResponse(202, { subscriptionId: id, since, matched: matching.length, queued });
  });
};

export const handler = lazyHandler(() => createReplaySubscriptionHandler(defaultSubscriptionDependencies()));
