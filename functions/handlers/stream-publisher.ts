import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { DETAIL_TYPES, type DomainEvent } from '../events/catalogue.js';
import { eventsFromRecord } from '../events/from-stream.js';
import { EVENT_ENV } from '../events/plumbing.js';
import { putEvents } from '../events/put-events.js';
import { lazy } from '../shared/lazy.js';
import { createDocumentClient, tableNameFromEnv } from '../storage/client.js';
import { EventRepository, type ThresholdClaim } from '../storage/event-repository.js';

export interface StreamPublisherDependencies {
  events: EventRepository;
  bus: EventBridgeClient;
  busName: string;
  maxPutAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
  log?: (line: Record<string, unknown>) => void;
}

/**
 * The outbox relay: what the table committed becomes events on the bus, and nothing else.
 * Records are handled in stream order; the first record whose events could not be put is
 * reported as a batch item failure, so Lambda retries from it and no event is skipped.
 */
export const createStreamPublisher =
  (deps: StreamPublisherDependencies) =>
  async (input: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const log = deps.log ?? ((line) => console.log(JSON.stringify(line)));
    const perRecord: { sequenceNumber: string; events: DomainEvent[] }[] = [];
    const seen = new Set<string>();
    const announcement = thresholdAnnouncements(deps.events);

    for (const record of input.Records) {
      const events: DomainEvent[] = [];
      for (const event of eventsFromRecord(record)) {
        let toPublish = event;
        if (event.detailType === DETAIL_TYPES.progressThresholdReached) {
          const detail = await announcement(event.detail as ThresholdDetail);
          if (detail === null) continue;
          toPublish = { detailType: DETAIL_TYPES.progressThresholdReached, detail };
        }
        if (seen.has(toPublish.detail.eventId)) continue;
        seen.add(toPublish.detail.eventId);
        events.push(toPublish);
      }
      perRecord.push({ sequenceNumber: record.dynamodb?.SequenceNumber ?? record.eventID ?? '', events });
    }

    const all = perRecord.flatMap((r) => r.events);
    if (all.length === 0) return { batchItemFailures: [] };
    const outcome = await putEvents(all, {
      bus: deps.bus,
      busName: deps.busName,
      ...(deps.maxPutAttempts === undefined ? {} : { maxAttempts: deps.maxPutAttempts }),
      ...(deps.backoff === undefined ? {} : { backoff: deps.backoff }),
    });

    if (outcome.published.length > 0) {
      await deps.events.logEvents(outcome.published);
      for (const event of outcome.published) {
        if (event.detailType === DETAIL_TYPES.progressThresholdReached) {
          await deps.events.markThresholdPublished(
            event.detail as DomainEvent<'ProgressThresholdReached'>['detail'],
          );
        }
      }
    }
    if (outcome.failed.length === 0) return { batchItemFailures: [] };

    const failedIds = new Set(outcome.failed.map((f) => f.event.detail.eventId));
    const firstFailed = perRecord.find((r) => r.events.some((e) => failedIds.has(e.detail.eventId)));
    for (const failure of outcome.failed) {
      log({
        level: 'error',
        message: 'event not published',
        eventId: failure.event.detail.eventId,
        detailType: failure.event.detailType,
        reason: failure.reason,
      });
    }
    return { batchItemFailures: firstFailed ? [{ itemIdentifier: firstFailed.sequenceNumber }] : [] };
  };

type ThresholdDetail = DomainEvent<'ProgressThresholdReached'>['detail'];

/**
 * Which offered thresholds a batch publishes, and with what content: every change offers each
 * threshold the region stands past, and only one not yet published goes out — the first time it
 * is seen, or again with its first content after a failed attempt. The project's claims are read
 * once per batch (one Query), so that the thresholds long announced cost no write per report.
 */
const thresholdAnnouncements = (events: EventRepository) => {
  const claimsByProject = new Map<string, Promise<Map<number, ThresholdClaim>>>();
  return async (offered: ThresholdDetail): Promise<ThresholdDetail | null> => {
    let claims = claimsByProject.get(offered.projectId);
    if (claims === undefined) {
      claims = events.thresholdClaims(offered.projectId);
      claimsByProject.set(offered.projectId, claims);
    }
    const known = await claims;
    const claim = known.get(offered.threshold) ?? (await events.claimThreshold(offered));
    known.set(offered.threshold, claim);
    return claim.status === 'published' ? null : claim.detail;
  };
};

export const handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> = lazy(() =>
  createStreamPublisher({
    events: new EventRepository({ db: createDocumentClient(), tableName: tableNameFromEnv() }),
    bus: new EventBridgeClient({}),
    busName: process.env[EVENT_ENV.busName] ?? 'default',
  }),
);
