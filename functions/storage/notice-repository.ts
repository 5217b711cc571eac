import type { Finding, Notice, OverdueFinding, RiskFinding, WatchState } from '../domain/watchdog.js';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from './document-client.js';
import { guardDatabase, isConditionFailure } from './dynamo-errors.js';
import { ENTITY, overdueNoticeKey, riskNoticeKey, watchStateKey } from './keys.js';
import { type TableItem, TableRepository } from './table-repository.js';

/** A notice as stored: its occurrence key, the entity the stream filter looks for, and the finding. */
export const noticeToItem = (notice: Notice): TableItem => ({
  ...(notice.kind === 'overdue'
    ? overdueNoticeKey(notice.projectId, notice.province, notice.lastMilestoneId)
    : riskNoticeKey(notice.projectId, notice.sequence)),
  entity: ENTITY.notice,
  ...notice,
});

/** The notice an item holds: everything but its keys and entity tag. */
export const noticeFromItem = (item: TableItem): Notice => {
  const { PK: _pk, SK: _sk, entity: _entity, ...notice } = item;
  return notice as unknown as Notice;
};

/** A finding as written: when, and by which run. */
const noted = (finding: Finding, notedAt: Date, correlationId: string | undefined): Notice => ({
  ...finding,
  notedAt: notedAt.toISOString(),
  ...(correlationId === undefined ? {} : { correlationId }),
});

export const watchStateFromItem = (item: TableItem): WatchState => {
  const { projectId, status, riskTransitions, version, updatedAt } = item as unknown as WatchState;
  return { projectId, status, riskTransitions, version, updatedAt };
};

export type SaveOutcome = 'saved' | 'conflict';

/**
 * The watchdog's memory: its watch state per project and the notices it wrote. Every write is
 * conditional, so an occurrence is written once however often, or however concurrently, the
 * watchdog runs; the stream turns each written notice into one event.
 */
export class NoticeRepository extends TableRepository {
  async getWatchState(projectId: string): Promise<WatchState | null> {
    const result = await guardDatabase(() =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: watchStateKey(projectId), ConsistentRead: true }),
      ),
    );
    return result.Item ? watchStateFromItem(result.Item) : null;
  }

  /** Writes the overdue notice unless this occurrence already has one; true when written now. */
  async writeOverdue(finding: OverdueFinding, notedAt: Date, correlationId?: string): Promise<boolean> {
    try {
      await guardDatabase(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: noticeToItem(noted(finding, notedAt, correlationId)),
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Stores `next` if the watch state is still the one read (`previous`, or none), together with
   * the risk notice of the transition, if any, in one transaction: either both or neither.
   * `conflict`: another run stored a state first (or already wrote this notice); read and decide again.
   */
  async saveWatch(
    previous: WatchState | null,
    next: WatchState,
    risk: RiskFinding | null,
    notedAt: Date,
    correlationId?: string,
  ): Promise<SaveOutcome> {
    const update = {
      TableName: this.tableName,
      Key: watchStateKey(next.projectId),
      UpdateExpression:
        'SET #entity = :entity, projectId = :projectId, #status = :status, ' +
        'riskTransitions = :riskTransitions, #version = :version, updatedAt = :updatedAt',
      ConditionExpression: previous === null ? 'attribute_not_exists(PK)' : '#version = :expected',
      ExpressionAttributeNames: { '#entity': 'entity', '#status': 'status', '#version': 'version' },
      ExpressionAttributeValues: {
        ':entity': ENTITY.watchState,
        ':projectId': next.projectId,
        ':status': next.status,
        ':riskTransitions': next.riskTransitions,
        ':version': next.version,
        ':updatedAt': next.updatedAt,
        ...(previous === null ? {} : { ':expected': previous.version }),
      },
    };
    try {
      if (risk === null) {
        await guardDatabase(() => this.db.send(new UpdateCommand(update)));
      } else {
        const notice = noticeToItem(noted(risk, notedAt, correlationId));
        await guardDatabase(() =>
          this.db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: this.tableName,
                    Item: notice,
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
                { Update: update },
              ],
            }),
          ),
        );
      }
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }
}
