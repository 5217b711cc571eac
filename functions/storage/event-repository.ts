import type { DomainEvent, ProgressThresholdReachedDetail } from '../events/catalogue.js';
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from './document-client.js';
import { backOffUnprocessed, guardDatabase, isConditionFailure } from './dynamo-errors.js';
import { projectPk } from './keys.js';
import { type TableItem, TableRepository } from './table-repository.js';

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

export const claimFromItem = (item: TableItem): ThresholdClaim => ({
  status: item.status === 'published' ? 'published' : 'claimed',
  detail: item.detail as ProgressThresholdReachedDetail,
});

/** What the publisher remembers: which thresholds are announced, and a log of published events for replay. */
export class EventRepository extends TableRepository {
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
    const item = existing.Item as TableItem | undefined;
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
    const claims = ((result.Items ?? []) as TableItem[]).map(claimFromItem);
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

  /** Logged events from `since` up to `until`, oldest first, read page by page. */
  async eventsBetween(since: Date, until: Date): Promise<DomainEvent[]> {
    const events: DomainEvent[] = [];
    let position: EventLogPosition | null = null;
    do {
      const page: EventLogPage = await this.eventsPage(since, until, position, 1000);
      events.push(...page.events);
      position = page.next;
    } while (position !== null);
    return events;
  }

  /**
   * Up to `limit` logged events from `since` up to `until`, oldest first, starting at `from`
   * (null: the beginning). The log is partitioned by day; days with nothing logged are skipped
   * within the same call, so an empty page means the end.
   */
  async eventsPage(
    since: Date,
    until: Date,
    from: EventLogPosition | null,
    limit: number,
  ): Promise<EventLogPage> {
    const start = new Date(Math.max(since.getTime(), until.getTime() - EVENT_LOG_RETENTION_DAYS * DAY_MS));
    const lastDay = dayOf(until);
    let day = from?.day ?? dayOf(start);
    let after = from?.after ?? null;
    for (; day <= lastDay; day = nextDay(day), after = null) {
      const pk = `EVENTLOG#${day}`;
      const page = await guardDatabase(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :since AND :until',
            // Sort keys are `<occurredAt>#<eventId>`: everything up to the instant `until` sorts before `~`.
            ExpressionAttributeValues: {
              ':pk': pk,
              ':since': since.toISOString(),
              ':until': `${until.toISOString()}~`,
            },
            ExclusiveStartKey: after === null ? undefined : { PK: pk, SK: after },
            Limit: limit,
          }),
        ),
      );
      const items = (page.Items ?? []) as TableItem[];
      if (items.length === 0) continue;
      const lastKey = page.LastEvaluatedKey?.SK;
      const following = nextDay(day);
      return {
        events: items.map((item) => ({ detailType: item.detailType, detail: item.detail }) as DomainEvent),
        next:
          typeof lastKey === 'string'
            ? { day, after: lastKey }
            : following <= lastDay
              ? { day: following, after: null }
              : null,
      };
    }
    return { events: [], next: null };
  }
}

/** Where a reading of the event log stopped: a day's partition and the last sort key read there. */
export interface EventLogPosition {
  day: string;
  after: string | null;
}

export interface EventLogPage {
  events: DomainEvent[];
  /** Where the next page starts; null when the window is read to its end. */
  next: EventLogPosition | null;
}

const dayOf = (at: Date): string => at.toISOString().slice(0, 10);
const nextDay = (day: string): string => dayOf(new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS));
