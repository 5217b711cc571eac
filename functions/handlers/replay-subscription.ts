import { randomUUID } from 'node:crypto';
import { NO_REPLAY_COUNTS, type Replay } from '../domain/replay.js';
import { callerFromEvent } from '../http/caller.js';
import { httpHandler, lazyHandler, readJsonBody } from '../http/middleware.js';
import { optionalIdempotencyKeyFrom } from '../http/request.js';
import { rawJsonResponse } from '../http/responses.js';
import { subscriptionFromPath } from '../http/subscription-request.js';
import { replayBody } from '../schemas/compiled/subscriptions.js';
import { type Dependencies, defaultDependencies } from '../services/dependencies.js';
import { replayedHeader } from '../services/idempotency.js';
import { officeRequest, performIdempotently } from '../services/idempotent-request.js';
import { type ReplayQueueDependencies, sendReplayPage } from '../services/replay-pages.js';
import { replayQueueFromEnv } from '../services/replay-queue-dependencies.js';
import { ReplayRepository, replayLocation, replayView } from '../storage/replay-repository.js';
import { SubscriptionRepository } from '../storage/subscription-repository.js';
import { parseWith } from '../validation/parse-with.js';

/** Why a replay is failed when the replay queue refused its first page. */
export const FIRST_PAGE_NOT_QUEUED = 'the replay queue did not take its first page';

/**
 * POST /subscriptions/{subscriptionId}/replay: re-delivers the subscription's events since a
 * time (from the event log, 90 days). Answers 202 at once with the replay resource; the replay
 * worker reads the log a page at a time (replay-worker.ts). Each event keeps its webhook-id, so a
 * subscriber that already has one can tell; one already on its way is not queued again.
 */
export type ReplaySubscriptionDependencies = Dependencies & ReplayQueueDependencies;

export const createReplaySubscriptionHandler = (deps: ReplaySubscriptionDependencies) => {
  const subscriptions = new SubscriptionRepository(deps);
  const replays = new ReplayRepository(deps);
  return httpHandler(async ({ event }) => {
    const caller = callerFromEvent(event);
    const { id } = await subscriptionFromPath(event, caller, subscriptions);
    const { since } = parseWith(replayBody, readJsonBody(event), 'replay request');
    const request = officeRequest(deps, caller, optionalIdempotencyKeyFrom(event), {
      operation: 'replaySubscription',
      request: { subscriptionId: id, since },
      what: 'replay',
    });
    const { at } = request;
    const result = await performIdempotently(request, async (recordFor) => {
      const replay: Replay = {
        id: randomUUID(),
        subscriptionId: id,
        since,
        until: at.toISOString(),
        state: 'queued',
        counts: NO_REPLAY_COUNTS,
        pages: 0,
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
        error: null,
      };
      const body = JSON.stringify(replayView(replay));
      const record = recordFor(202, body);
      // Stored before its first page is queued: the worker that reads the page finds it. A
      // replay whose page the queue refused is failed, and its key freed, before the 503.
      await replays.create(replay, record);
      try {
        await sendReplayPage(deps, { subscriptionId: id, replayId: replay.id, page: 0 });
      } catch (error) {
        await replays.abandon(replay, record, FIRST_PAGE_NOT_QUEUED, deps.now());
        throw error;
      }
      return { statusCode: 202, body };
    });
    const { id: replayId } = JSON.parse(result.body) as { id: string };
    return rawJsonResponse(result.statusCode, result.body, {
      location: replayLocation(id, replayId),
      ...replayedHeader(result),
    });
  });
};

export const handler = lazyHandler(() =>
  createReplaySubscriptionHandler({ ...defaultDependencies(), ...replayQueueFromEnv() }),
);
