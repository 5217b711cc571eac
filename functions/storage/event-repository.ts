import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DomainEvent, ProgressThresholdReachedDetail } from '../events/catalogue.js';
import { backOffUnprocessed, guardDatabase, isConditionFailure } from './dynamo-errors.js';
import { projectPk } from './keys.js';

/** Published events are kept this long for per-subscription replay (the bus archive keeps them longer). */
export const EVENT_LOG_RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export const ENTITY_THRESHOLD_CLAIM = 'ThresholdClaim';
export const ENTITY_EVENT_LOG = 'EventLogEntry';

const thresholdKey = (projectId: string, threshold: number) => ({
  PK: projectPk(projectId),
  SK: `${THRESHOLD_PREFIX}${String(threshold).padStart(3, '0')}`,
});
const eventLogKey = (occurredAt: string, eventId: string) => ({
  PK: `EVENTLOG#${occurredAt.slice(0, 10)}`,
  SK: `${occurredAt}#${eventId}`,
});

export type ThresholdClaim =
  | { status: 'new'; detail: ProgressThresholdReachedDetail }
  | { status: 'claimed' | 'published'; detail: ProgressThresholdReachedDetail };

const THRESHOLD_PREFIX = 'THRESHOLD#';

type Item = Record<string, unknown>;

export const claimFromItem = (item: Item): ThresholdClaim => ({
  status: item.status === 'published' ? 'published' : 'claimed',
  detail: item.detail as ProgressThresholdReachedDetail,
});

/** What the publisher remembers: which thresholds are announced, and a log of published events for replay. */
export class EventRepository {
  private readonly db: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: { db: DynamoDBDocumentClient; tableName: string }) {
    this.db = options.db;
    this.tableName = options.tableName;
  }

  /**
   * Claims "project P reached T %" the first time it is seen. Later crossings of the same
   * threshold (after a correction dipped below it, or a retried batch) find the claim and get
   * the first detail back, so the announcement is one fact with one id and one content.
   */
  async claimThreshold(detail: ProgressThresholdReachedDetail): Promise<ThresholdClaim> {
    const key = thresholdKey(detail.projectId, detail.threshold);
    try {
      await guardDatabase(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...key,
              entity: ENTITY_THRESHOLD_CLAIM,
              status: 'claimed',
              eventId: detail.eventId,
              detail,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      );
      return { status: 'new', detail };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = await guardDatabase(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    const item = existing.Item as Item | undefined;
    if (!item) throw new Error(`Threshold claim ${key.SK} of ${detail.projectId} vanished`);
    return claimFromItem(item);
  }

  /** The project's claims so far, by threshold: one consistent Query over at most four items. */
  async thresholdClaims(projectId: string): Promise<Map<number, ThresholdClaim>> {
    const result = await guardDatabase(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': projectPk(projectId), ':prefix': THRESHOLD_PREFIX },
          ConsistentRead: true,
        }),
      ),
    );
    const claims = ((result.Items ?? []) as Item[]).map(claimFromItem);
    return new Map(claims.map((claim) => [claim.detail.threshold, claim]));
  }

  async markThresholdPublished(detail: ProgressThresholdReachedDetail): Promise<void> {
    await guardDatabase(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: thresholdKey(detail.projectId, detail.threshold),
          UpdateExpression: 'SET #status = :published',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':published': 'published' },
        }),
      ),
    );
  }

  /** Appends published events to the replay log (idempotent: the key is the event's own id). */
  async logEvents(events: readonly DomainEvent[]): Promise<void> {
    let requests = events.map((event) => ({
      PutRequest: {
        Item: {
          ...eventLogKey(event.detail.occurredAt, event.detail.eventId),
          entity: ENTITY_EVENT_LOG,
          detailType: event.detailType,
          detail: event.detail,
          expiresAt: Math.floor(
            (Date.parse(event.detail.occurredAt) + EVENT_LOG_RETENTION_DAYS * DAY_MS) / 1000,
          ),
        },
      },
    }));
    let throttledRounds = 0;
    while (requests.length > 0) {
      const chunk = requests.slice(0, 25);
      requests = requests.slice(25);
      const result = await guardDatabase(() =>
        this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: chunk } })),
      );
      const unprocessed = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof chunk;
      if (unprocessed.length > 0) await backOffUnprocessed(++throttledRounds);
      requests.push(...unprocessed);
    }
  }

  /** Logged events from `since` up to `until`, oldest first: one Query per day in the window. */
  async eventsBetween(since: Date, until: Date): Promise<DomainEvent[]> {
    const events: DomainEvent[] = [];
    const start = new Date(Math.max(since.getTime(), until.getTime() - EVENT_LOG_RETENTION_DAYS * DAY_MS));
    for (
      let day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
      day <= until.getTime();
      day += DAY_MS
    ) {
      const pk = `EVENTLOG#${new Date(day).toISOString().slice(0, 10)}`;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await guardDatabase(() =>
          this.db.send(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression: 'PK = :pk AND SK >= :since',
              ExpressionAttributeValues: { ':pk': pk, ':since': since.toISOString() },
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of (page.Items ?? []) as Item[]) {
          events.push({ detailType: item.detailType, detail: item.detail } as DomainEvent);
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return events;
  }
}
