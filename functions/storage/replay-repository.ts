import type { Replay, ReplayCounts, ReplayedDelivery } from '../domain/replay.js';
import { UNFINISHED_REPLAY_STATES } from '../domain/replay.js';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from './document-client.js';
import { cancellationReasons, guardDatabase, isConditionFailure } from './dynamo-errors.js';
import type { EventLogPosition } from './event-repository.js';
import { IdempotencyKeyTakenError, type IdempotencyWrite, idempotencyPut } from './idempotency-records.js';
import { idempotencyKey } from './keys.js';
import {
  DELIVERY_LOG_RETENTION_SECONDS,
  type DeliveryOpening,
  deliveriesPk,
  deliveryKey,
  newDeliveryItem,
} from './subscription-repository.js';
import { type TableItem, TableRepository } from './table-repository.js';

export const ENTITY_REPLAY = 'Replay';
/** A replay item lives next to the subscription's delivery log, and as long. */
const replayKey = (subscriptionId: string, replayId: string) => ({
  PK: deliveriesPk(subscriptionId),
  SK: `REPLAY#${replayId}`,
});

/** A replay as stored: with where its reading of the event log stopped. */
export interface StoredReplay extends Replay {
  cursor: EventLogPosition | null;
}

const replayFromItem = (item: TableItem): StoredReplay => {
  const r = item as unknown as StoredReplay;
  return {
    id: r.id,
    subscriptionId: r.subscriptionId,
    since: r.since,
    until: r.until,
    state: r.state,
    counts: r.counts,
    pages: r.pages,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    error: r.error ?? null,
    cursor: r.cursor ?? null,
  };
};

/**
 * The update that marks a replay failed with `reason`: if it is `unfinished` (queued or running),
 * or only if it is `not-begun` (queued, no page read).
 */
const failedUpdate = (
  tableName: string,
  subscriptionId: string,
  replayId: string,
  reason: string,
  now: Date,
  only: 'unfinished' | 'not-begun',
) => ({
  TableName: tableName,
  Key: replayKey(subscriptionId, replayId),
  UpdateExpression: 'SET #state = :failed, #error = :reason, updatedAt = :now',
  ConditionExpression:
    only === 'unfinished' ? '#state IN (:queued, :running)' : '#state = :queued AND pages = :none',
  ExpressionAttributeNames: { '#state': 'state', '#error': 'error' },
  ExpressionAttributeValues: {
    ':failed': 'failed',
    ':reason': reason,
    ':now': now.toISOString(),
    ':queued': UNFINISHED_REPLAY_STATES[0],
    ...(only === 'unfinished' ? { ':running': UNFINISHED_REPLAY_STATES[1] } : { ':none': 0 }),
  },
});

/** Attempts at opening one delivery when its record changed between the read and the write. */
const OPEN_ATTEMPTS = 3;

/** Replays of subscriptions, and the delivery records a replay opens. */
export class ReplayRepository extends TableRepository {
  /**
   * Saves a new replay, with the Idempotency-Key's record in the same transaction when given:
   * IdempotencyKeyTakenError when a concurrent request with that key committed first.
   */
  async create(replay: Replay, idempotency?: IdempotencyWrite): Promise<void> {
    const item: StoredReplay = { ...replay, cursor: null };
    const put = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...replayKey(replay.subscriptionId, replay.id),
          entity: ENTITY_REPLAY,
          ...item,
          expiresAt: Math.floor(Date.parse(replay.createdAt) / 1000) + DELIVERY_LOG_RETENTION_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
    if (!idempotency) {
      await guardDatabase(() => this.db.send(new PutCommand(put.Put)));
      return;
    }
    try {
      await guardDatabase(() =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              put,
              idempotencyPut(this.tableName, idempotency.scope, idempotency.key, idempotency.record),
            ],
          }),
        ),
      );
    } catch (error) {
      if (cancellationReasons(error)?.[1] === 'ConditionalCheckFailed') {
        throw new IdempotencyKeyTakenError({ cause: error });
      }
      throw error;
    }
  }

  /**
   * Undoes a replay whose first page could not be queued, so that it is not left `queued` for
   * ever and the 503 its request answers means what a 503 means elsewhere (retry with the same
   * key): marks it failed with `reason` and, in the same transaction, frees the Idempotency-Key
   * its request stored. Unless a worker has begun it (the queue took the page after all): then
   * it runs, and its key keeps answering with it. A replay that was never stored is left as is.
   */
  async abandon(
    replay: Replay,
    idempotency: IdempotencyWrite | undefined,
    reason: string,
    now: Date,
  ): Promise<void> {
    const fail = failedUpdate(this.tableName, replay.subscriptionId, replay.id, reason, now, 'not-begun');
    const send = (): Promise<unknown> =>
      idempotency
        ? this.db.send(
            new TransactWriteCommand({
              TransactItems: [
                { Update: fail },
                {
                  Delete: {
                    TableName: this.tableName,
                    Key: idempotencyKey(idempotency.scope, idempotency.key),
                    // The record this very request stored: its answer names this replay.
                    ConditionExpression: '#body = :body',
                    ExpressionAttributeNames: { '#body': 'body' },
                    ExpressionAttributeValues: { ':body': idempotency.record.body },
                  },
                },
              ],
            }),
          )
        : this.db.send(new UpdateCommand(fail));
    try {
      await guardDatabase(send);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async get(subscriptionId: string, replayId: string): Promise<StoredReplay | null> {
    const result = await guardDatabase(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: replayKey(subscriptionId, replayId),
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item ? replayFromItem(result.Item as TableItem) : null;
  }

  /**
   * Records a page read: where the next one starts (null: none, the replay is done) and the
   * counts so far. Only the first to record page `replay.pages` succeeds (false for the others):
   * a redelivered page message neither counts twice nor moves the cursor twice.
   */
  async recordPage(
    replay: StoredReplay,
    next: EventLogPosition | null,
    counts: ReplayCounts,
    now: Date,
  ): Promise<boolean> {
    try {
      await guardDatabase(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: replayKey(replay.subscriptionId, replay.id),
            UpdateExpression:
              'SET pages = :next, #cursor = :cursor, #state = :state, #counts = :counts, updatedAt = :now',
            ConditionExpression: 'pages = :page AND #state IN (:queued, :running)',
            ExpressionAttributeNames: { '#cursor': 'cursor', '#state': 'state', '#counts': 'counts' },
            ExpressionAttributeValues: {
              ':page': replay.pages,
              ':next': replay.pages + 1,
              ':cursor': next,
              ':state': next === null ? 'done' : 'running',
              ':counts': counts,
              ':now': now.toISOString(),
              ':queued': UNFINISHED_REPLAY_STATES[0],
              ':running': UNFINISHED_REPLAY_STATES[1],
            },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Marks an unfinished replay failed, saying why; a finished one stays as it is. */
  async fail(subscriptionId: string, replayId: string, reason: string, now: Date): Promise<void> {
    await guardDatabase(() =>
      this.db.send(
        new UpdateCommand(failedUpdate(this.tableName, subscriptionId, replayId, reason, now, 'unfinished')),
      ),
    ).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }

  /**
   * Opens the delivery of a logged event for a replay, unless it is already queued or being sent
   * (`already-pending`): a replay never sends twice what is on its way. A delivery untouched in
   * `queued` or `sending` since before `stuckBefore` was lost (see deliveryLeaseSeconds) and is
   * opened again (`stuck-requeued`). A record this replay opened itself (its page is read again
   * after a crash) keeps how it was counted; `send` says whether its message is still to be sent.
   */
  async openDelivery(
    input: DeliveryOpening,
    replayId: string,
    now: Date,
    stuckBefore: Date,
  ): Promise<{ outcome: ReplayedDelivery; send: boolean }> {
    const key = deliveryKey(input.subscriptionId, input.occurredAt, input.eventId);
    for (let attempt = 1; ; attempt++) {
      const existing = await guardDatabase(() =>
        this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
      );
      const item = existing.Item as TableItem | undefined;
      if (item?.replayId === replayId) {
        return {
          outcome: (item.replayedAs as ReplayedDelivery | undefined) ?? 'queued',
          send: item.status === 'queued' && !item.enqueuedAt,
        };
      }
      const pending = item?.status === 'queued' || item?.status === 'sending';
      const stuck = pending && String(item?.updatedAt) < stuckBefore.toISOString();
      if (pending && !stuck) return { outcome: 'already-pending', send: false };
      const outcome: ReplayedDelivery = stuck ? 'stuck-requeued' : 'queued';
      try {
        await guardDatabase(() =>
          this.db.send(
            new PutCommand({
              TableName: this.tableName,
              Item: { ...newDeliveryItem(input, now), replayId, replayedAs: outcome },
              // Unchanged since it was read: nobody queued or began sending it in between.
              ...(item === undefined
                ? { ConditionExpression: 'attribute_not_exists(PK)' }
                : {
                    ConditionExpression: '#status = :status AND updatedAt = :updatedAt',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: { ':status': item.status, ':updatedAt': item.updatedAt },
                  }),
            }),
          ),
        );
        return { outcome, send: true };
      } catch (error) {
        if (!isConditionFailure(error) || attempt >= OPEN_ATTEMPTS) throw error;
      }
    }
  }
}

/** What the API shows of a replay: everything but where its reading stopped. */
export const replayView = (replay: Replay | StoredReplay): Replay => {
  const { cursor: _cursor, ...view } = replay as StoredReplay;
  return view;
};

/** The replay resource's path. */
export const replayLocation = (subscriptionId: string, replayId: string): string =>
  `/subscriptions/${subscriptionId}/replays/${replayId}`;
