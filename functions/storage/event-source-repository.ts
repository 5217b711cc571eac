import type { Milestone } from '../domain/milestone.js';
import type { Notice } from '../domain/watchdog.js';
import { ScanCommand } from './document-client.js';
import { guardDatabase } from './dynamo-errors.js';
import { claimFromItem, ENTITY_THRESHOLD_CLAIM, type ThresholdClaim } from './event-repository.js';
import { milestoneFromItem } from './items.js';
import { ENTITY } from './keys.js';
import { noticeFromItem } from './notice-repository.js';
import { type TableItem, TableRepository } from './table-repository.js';

/** A stored fact that announces an event: what the table, not the bus, says happened. */
export type EventSource =
  | { kind: 'milestone'; milestone: Milestone }
  | { kind: 'threshold'; claim: ThresholdClaim }
  | { kind: 'notice'; notice: Notice };

/** A time window: `from` included, `to` excluded. */
export interface Window {
  from: Date;
  to: Date;
}

const sourceOf = (item: TableItem): EventSource | null => {
  if (item.entity === ENTITY.milestone) return { kind: 'milestone', milestone: milestoneFromItem(item) };
  if (item.entity === ENTITY_THRESHOLD_CLAIM) return { kind: 'threshold', claim: claimFromItem(item) };
  if (item.entity === ENTITY.notice) return { kind: 'notice', notice: noticeFromItem(item) };
  return null;
};

/**
 * Reads the facts events are derived from: milestones by `recordedAt`, threshold claims by their
 * detail's `occurredAt`, watchdog notices by `notedAt` — each the `occurredAt` of its event.
 */
export class EventSourceRepository extends TableRepository {
  /**
   * One paginated Scan with a filter, not Queries. The three kinds live in each project's
   * partition, and no index is keyed by time: a Query per project would first have to find every
   * project (GSI1 is keyed by year, and a late correction lands outside its project's year) and
   * would still read each project's whole history, since milestone sort keys begin with the
   * as-of date, not the recording time. A Scan bills every item it reads, filtered out or not,
   * so a run costs one read of the table: at eventual consistency, 0.5 read units per 4 KB.
   * The table is small (a year's catalogue, its reports, 90 days of event log), so that is a few
   * thousand read units, well under a cent on demand, once per incident. Eventual consistency is
   * enough: a fact written in the last second is on its way through the stream anyway.
   */
  async sourcesBetween(window: Window): Promise<EventSource[]> {
    const sources: EventSource[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await guardDatabase(() =>
        this.db.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression:
              '(#entity = :milestone AND #recordedAt >= :from AND #recordedAt < :to) OR ' +
              '(#entity = :claim AND #detail.#occurredAt >= :from AND #detail.#occurredAt < :to) OR ' +
              '(#entity = :notice AND #notedAt >= :from AND #notedAt < :to)',
            ExpressionAttributeNames: {
              '#entity': 'entity',
              '#recordedAt': 'recordedAt',
              '#detail': 'detail',
              '#occurredAt': 'occurredAt',
              '#notedAt': 'notedAt',
            },
            ExpressionAttributeValues: {
              ':milestone': ENTITY.milestone,
              ':claim': ENTITY_THRESHOLD_CLAIM,
              ':notice': ENTITY.notice,
              // Stored instants are toISOString() text, so text order is time order.
              ':from': window.from.toISOString(),
              ':to': window.to.toISOString(),
            },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of (page.Items ?? []) as TableItem[]) {
        const source = sourceOf(item);
        if (source) sources.push(source);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return sources;
  }
}
