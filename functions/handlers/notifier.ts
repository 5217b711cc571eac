import { SQSClient } from '@aws-sdk/client-sqs';
import type { EventBridgeEvent } from 'aws-lambda';
import { subscriptionMatches } from '../domain/subscription.js';
import type { DomainEvent } from '../events/catalogue.js';
import { EVENT_ENV } from '../events/plumbing.js';
import { type InvocationContext, invocationLogger, type Logger } from '../observability/logger.js';
import { type EnqueueDependencies, enqueueDeliveries } from '../services/enqueue-deliveries.js';
import { lazy } from '../shared/lazy.js';
import { createDocumentClient, tableNameFromEnv } from '../storage/client.js';
import { SubscriptionRepository } from '../storage/subscription-repository.js';

type ProductEvent = EventBridgeEvent<string, DomainEvent['detail']>;

/**
 * Target of the notifier rule: fans one event out to the subscriptions whose filters match it,
 * one queued delivery each. A failure throws: Lambda retries the invocation, and an event that
 * still fails goes to the notifier's dead-letter queue (locally: the bus retries it, then
 * writes it to its dead-letter file).
 */
export const createNotifier =
  (deps: EnqueueDependencies & { log?: Logger }) =>
  async (envelope: ProductEvent, context?: InvocationContext) => {
    const event = { detailType: envelope['detail-type'], detail: envelope.detail } as DomainEvent;
    const facets = {
      detailType: event.detailType,
      projectId: event.detail.projectId,
      province: 'province' in event.detail ? event.detail.province : undefined,
    };
    const log = invocationLogger(deps.log, context).child({
      eventId: event.detail.eventId,
      detailType: event.detailType,
      projectId: facets.projectId,
      province: facets.province,
      correlationId: event.detail.correlationId,
    });
    try {
      const targets = (await deps.subscriptions.list()).filter((s) => subscriptionMatches(s, facets));
      const queued = await enqueueDeliveries(deps, event, targets);
      log.info('event fanned out', { matched: targets.length, queued });
      return { eventId: event.detail.eventId, matched: targets.length, queued };
    } catch (error) {
      log.error('event not fanned out; the invocation is retried', { error: String(error) });
      throw error;
    }
  };

export const handler = lazy(() =>
  createNotifier({
    subscriptions: new SubscriptionRepository({ db: createDocumentClient(), tableName: tableNameFromEnv() }),
    sqs: new SQSClient({}),
    queueUrl: process.env[EVENT_ENV.deliveryQueueUrl] ?? '',
    now: () => new Date(),
  }),
);
