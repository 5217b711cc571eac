import { NotFoundError } from '../domain/errors.js';
import { callerFromEvent } from '../http/caller.js';
import { httpHandler, lazyHandler } from '../http/middleware.js';
import { pathParameter } from '../http/path-parameter.js';
import { jsonResponse } from '../http/responses.js';
import { subscriptionFromPath } from '../http/subscription-request.js';
import { replayIdParam } from '../schemas/subscriptions.js';
import { type Dependencies, defaultDependencies } from '../services/dependencies.js';
import { ReplayRepository, replayView } from '../storage/replay-repository.js';
import { SubscriptionRepository } from '../storage/subscription-repository.js';

const replayIdFrom = pathParameter('replayId', replayIdParam);

/** GET /subscriptions/{subscriptionId}/replays/{replayId}: where a replay stands (owner or coordinator). */
export const createGetReplayHandler = (deps: Dependencies) => {
  const subscriptions = new SubscriptionRepository(deps);
  const replays = new ReplayRepository(deps);
  return httpHandler(async ({ event }) => {
    const caller = callerFromEvent(event);
    const { id } = await subscriptionFromPath(event, caller, subscriptions);
    const replayId = replayIdFrom(event);
    const replay = await replays.get(id, replayId);
    if (replay === null) throw new NotFoundError(`There is no replay ${replayId} of subscription ${id}.`);
    return jsonResponse(200, replayView(replay), { 'cache-control': 'no-store' });
  });
};

export const handler = lazyHandler(() => createGetReplayHandler(defaultDependencies()));
