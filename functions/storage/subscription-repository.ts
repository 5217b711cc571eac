import { ConflictError, NotFoundError, ServiceUnavailableError } from '../domain/errors.js';
import type {
  DeliveryStatus,
  SealedSecret,
  StoredSubscription,
  Subscription,
} from '../domain/subscription.js';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from './document-client.js';
import {
  cancellationReasons,
  guardDatabase,
  isConditionFailure,
  RETRY_AFTER_SECONDS,
} from './dynamo-errors.js';
import { IdempotencyKeyTakenError, type IdempotencyWrite, idempotencyPut } from './idempotency-records.js';
import { type TableItem, TableRepository } from './table-repository.js';

/**
 * Subscriptions live in one partition (an office registers a handful; the whole list is one
 * small Query). Each subscription's delivery log lives in its own partition, newest last.
 */
const SUBSCRIPTIONS_PK = 'SUBSCRIPTIONS';
const subscriptionKey = (id: string) => ({ PK: SUBSCRIPTIONS_PK, SK: `SUB#${id}` });
/**
 * Per office, how many of its subscriptions are not deleted. Moved in the same transaction as
 * the subscription it counts, with the cap as the condition: two concurrent creates cannot both
 * take the last place. (Subscriptions created before the counter existed are not in it.)
 */
const officeCountKey = (office: string) => ({ PK: SUBSCRIPTIONS_PK, SK: `OFFICE#${office}` });
/** Attempts of a create or delete whose transaction collided with another on the same counter. */
const COUNTER_ATTEMPTS = 5;
/** The subscription's own partition: its delivery log and its replays. */
export const deliveriesPk = (subscriptionId: string) => `SUB#${subscriptionId}`;
export const deliveryKey = (subscriptionId: string, occurredAt: string, eventId: string) => ({
  PK: deliveriesPk(subscriptionId),
  SK: `DELIVERY#${occurredAt}#${eventId}`,
});

export const ENTITY_SUBSCRIPTION = 'Subscription';
export const ENTITY_DELIVERY = 'Delivery';
/** Delivery records are kept for a month. */
export const DELIVERY_LOG_RETENTION_SECONDS = 30 * 24 * 60 * 60;

/** What a delivery record is opened with: the event's ids, and the correlation id it carries. */
export interface DeliveryOpening {
  subscriptionId: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  correlationId?: string | undefined;
}

/** A delivery record as it is opened: queued, not yet attempted, kept DELIVERY_LOG_RETENTION_SECONDS. */
export const newDeliveryItem = (input: DeliveryOpening, now: Date) => ({
  ...deliveryKey(input.subscriptionId, input.occurredAt, input.eventId),
  entity: ENTITY_DELIVERY,
  ...input,
  status: 'queued',
  attempts: 0,
  lastStatus: null,
  lastError: null,
  nextRetryAt: null,
  enqueuedAt: null,
  updatedAt: now.toISOString(),
  expiresAt: Math.floor(now.getTime() / 1000) + DELIVERY_LOG_RETENTION_SECONDS,
});

export interface Delivery {
  subscriptionId: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  /** The event's correlation id: follows a report from its POST to this delivery (null for older events). */
  correlationId: string | null;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextRetryAt: string | null;
  enqueuedAt: string | null;
  updatedAt: string;
}

const subscriptionFromItem = (item: TableItem): StoredSubscription => {
  const s = item as unknown as StoredSubscription;
  return {
    id: s.id,
    owner: s.owner,
    url: s.url,
    eventTypes: s.eventTypes ?? [],
    projectIds: s.projectIds ?? [],
    provinces: s.provinces ?? [],
    description: s.description ?? null,
    status: s.status,
    disabledReason: s.disabledReason ?? null,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    secret: s.secret,
    ...(s.previousSecret !== undefined && s.previousSecretExpiresAt !== undefined
      ? { previousSecret: s.previousSecret, previousSecretExpiresAt: s.previousSecretExpiresAt }
      : {}),
  };
};

/** The public view: everything but the signing secrets. */
export const withoutSecret = ({
  secret: _secret,
  previousSecret: _previous,
  previousSecretExpiresAt: _expires,
  ...subscription
}: StoredSubscription): Subscription => subscription;

const deliveryFromItem = (item: TableItem): Delivery => {
  const d = item as unknown as Delivery;
  return {
    subscriptionId: d.subscriptionId,
    eventId: d.eventId,
    eventType: d.eventType,
    occurredAt: d.occurredAt,
    correlationId: d.correlationId ?? null,
    status: d.status,
    attempts: d.attempts ?? 0,
    lastStatus: d.lastStatus ?? null,
    lastError: d.lastError ?? null,
    nextRetryAt: d.nextRetryAt ?? null,
    enqueuedAt: d.enqueuedAt ?? null,
    updatedAt: d.updatedAt,
  };
};

export class SubscriptionRepository extends TableRepository {
  /**
   * Saves a new subscription unless its office already holds `maxPerOffice` that are not deleted:
   * then ConflictError `subscription-limit-reached`. Without `maxPerOffice` (seeding, tests) the
   * office's count still moves but nothing is refused. With `idempotency`, its record is stored in
   * the same transaction (IdempotencyKeyTakenError when a concurrent request took the key first).
   */
  async create(
    subscription: StoredSubscription,
    maxPerOffice?: number,
    idempotency?: IdempotencyWrite,
  ): Promise<void> {
    const office = subscription.owner.role;
    await this.withCounter(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...subscriptionKey(subscription.id), entity: ENTITY_SUBSCRIPTION, ...subscription },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: officeCountKey(office),
              UpdateExpression: 'ADD subscriptions :one',
              ...(maxPerOffice === undefined
                ? { ExpressionAttributeValues: { ':one': 1 } }
                : {
                    ConditionExpression: 'attribute_not_exists(subscriptions) OR subscriptions < :max',
                    ExpressionAttributeValues: { ':one': 1, ':max': maxPerOffice },
                  }),
            },
          },
          ...(idempotency
            ? [idempotencyPut(this.tableName, idempotency.scope, idempotency.key, idempotency.record)]
            : []),
        ],
      }),
      (reasons) => {
        if (reasons[2] === 'ConditionalCheckFailed') throw new IdempotencyKeyTakenError();
        if (reasons[1] === 'ConditionalCheckFailed') {
          throw new ConflictError(
            'subscription-limit-reached',
            `The ${office} office already has ${maxPerOffice} subscriptions; delete one before adding another.`,
          );
        }
        return false;
      },
    );
  }

  /**
   * Marks a subscription deleted (no further deliveries; the record stays for the audit trail)
   * and frees its office's place. Deleting it again changes nothing.
   */
  async delete(subscription: Pick<Subscription, 'id' | 'owner'>, reason: string, now: Date): Promise<void> {
    await this.withCounter(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: subscriptionKey(subscription.id),
              UpdateExpression: 'SET #status = :deleted, disabledReason = :reason, updatedAt = :now',
              ConditionExpression: 'attribute_exists(PK) AND #status <> :deleted',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':deleted': 'deleted',
                ':reason': reason,
                ':now': now.toISOString(),
              },
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: officeCountKey(subscription.owner.role),
              UpdateExpression: 'ADD subscriptions :minusOne',
              ExpressionAttributeValues: { ':minusOne': -1 },
            },
          },
        ],
      }),
      // Already deleted (by a concurrent request): its place was freed then.
      (reasons) => reasons[0] === 'ConditionalCheckFailed',
    );
  }

  /**
   * Runs a transaction that moves an office counter, again when it collided with another one on
   * the same counter. `settled` sees the cancellation reasons: it throws the caller's error,
   * answers true when nothing is left to do, or false to let the cancellation be rethrown.
   */
  private async withCounter(
    transaction: TransactWriteCommand,
    settled: (reasons: string[]) => boolean,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await guardDatabase(() => this.db.send(transaction));
        return;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons === null) throw error;
        if (settled(reasons)) return;
        if (!reasons.includes('TransactionConflict')) throw error;
        if (attempt >= COUNTER_ATTEMPTS) {
          throw new ServiceUnavailableError(
            'Too many subscription changes at once; retry shortly.',
            RETRY_AFTER_SECONDS,
            { cause: error },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * attempt));
      }
    }
  }

  async get(id: string): Promise<StoredSubscription | null> {
    const result = await guardDatabase(() =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: subscriptionKey(id), ConsistentRead: true }),
      ),
    );
    const item = result.Item as TableItem | undefined;
    if (!item || item.status === 'deleted') return null;
    return subscriptionFromItem(item);
  }

  /** Every subscription that has not been deleted. */
  async list(): Promise<StoredSubscription[]> {
    const items: TableItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await guardDatabase(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sub)',
            ExpressionAttributeValues: { ':pk': SUBSCRIPTIONS_PK, ':sub': 'SUB#' },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...((page.Items ?? []) as TableItem[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items.filter((item) => item.status !== 'deleted').map(subscriptionFromItem);
  }

  /**
   * Replaces the signing secret, keeping the one it replaces as `previousSecret` until
   * `previousSecretExpiresAt`. Refused with `concurrent-modification` when the secret changed
   * since `current` was read (two rotations at once would otherwise lose one's answer), and with
   * `not-found` when the subscription was deleted meanwhile.
   */
  async rotateSecret(
    current: Pick<StoredSubscription, 'id' | 'secret'>,
    rotation: { secret: SealedSecret; previousSecret: SealedSecret; previousSecretExpiresAt: string },
    now: Date,
  ): Promise<void> {
    try {
      await guardDatabase(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: subscriptionKey(current.id),
            UpdateExpression:
              'SET #secret = :secret, previousSecret = :previous, previousSecretExpiresAt = :expires, updatedAt = :now',
            ConditionExpression: 'attribute_exists(PK) AND #status <> :deleted AND #secret = :current',
            ExpressionAttributeNames: { '#status': 'status', '#secret': 'secret' },
            ExpressionAttributeValues: {
              ':secret': rotation.secret,
              ':previous': rotation.previousSecret,
              ':expires': rotation.previousSecretExpiresAt,
              ':now': now.toISOString(),
              ':deleted': 'deleted',
              ':current': current.secret,
            },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if ((await this.get(current.id)) === null) {
        throw new NotFoundError(`There is no subscription ${current.id}.`, { cause: error });
      }
      throw new ConflictError(
        'concurrent-modification',
        "The subscription's secret was rotated by another request at the same time; rotate again.",
        { cause: error },
      );
    }
  }

  /** Stops deliveries (a subscriber answered 410); the subscription keeps its office's place. */
  async disable(id: string, reason: string | null, now: Date): Promise<void> {
    await guardDatabase(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: subscriptionKey(id),
          UpdateExpression: 'SET #status = :disabled, disabledReason = :reason, updatedAt = :now',
          // Deleted is final: a late 410 must not bring a deleted subscription back as disabled.
          ConditionExpression: 'attribute_exists(PK) AND #status <> :deleted',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':disabled': 'disabled',
            ':reason': reason,
            ':now': now.toISOString(),
            ':deleted': 'deleted',
          },
        }),
      ),
    ).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }

  /**
   * Opens the delivery record of (event, subscription). Returns false when it exists and its
   * message was already queued: a repeated event does not become a repeated delivery. (A replay
   * opens records its own way: replay-repository.ts.)
   */
  async openDelivery(input: DeliveryOpening, now: Date): Promise<boolean> {
    const key = deliveryKey(input.subscriptionId, input.occurredAt, input.eventId);
    try {
      await guardDatabase(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: newDeliveryItem(input, now),
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = await guardDatabase(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    const item = existing.Item as TableItem | undefined;
    // Opened before but never queued (the notifier stopped in between): queue it now.
    return item?.status === 'queued' && !item.enqueuedAt;
  }

  async markEnqueued(subscriptionId: string, occurredAt: string, eventId: string, now: Date): Promise<void> {
    await this.update(subscriptionId, occurredAt, eventId, {
      enqueuedAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
  }

  /**
   * Takes the delivery for one attempt: `started`, or `finished` when it was already delivered
   * or dropped, or `busy` while another copy of the message holds an unexpired lease. A
   * duplicate message never becomes a duplicate POST, and a crashed attempt is retried once its
   * lease ends.
   */
  async beginAttempt(
    subscriptionId: string,
    occurredAt: string,
    eventId: string,
    now: Date,
    leaseSeconds: number,
  ): Promise<'started' | 'finished' | 'busy'> {
    try {
      await guardDatabase(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: deliveryKey(subscriptionId, occurredAt, eventId),
            UpdateExpression:
              'SET #status = :sending, leaseUntil = :lease, updatedAt = :now ADD attempts :one',
            ConditionExpression:
              '#status IN (:queued, :retrying, :deadLettered) OR (#status = :sending AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':sending': 'sending',
              ':queued': 'queued',
              ':retrying': 'retrying',
              ':deadLettered': 'dead-lettered',
              ':lease': new Date(now.getTime() + leaseSeconds * 1000).toISOString(),
              ':now': now.toISOString(),
              ':one': 1,
            },
          }),
        ),
      );
      return 'started';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = await guardDatabase(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: deliveryKey(subscriptionId, occurredAt, eventId),
          ConsistentRead: true,
        }),
      ),
    );
    return existing.Item?.status === 'sending' ? 'busy' : 'finished';
  }

  async finishAttempt(
    subscriptionId: string,
    occurredAt: string,
    eventId: string,
    outcome: Pick<Delivery, 'status' | 'lastStatus' | 'lastError' | 'nextRetryAt'>,
    now: Date,
  ): Promise<void> {
    await this.update(subscriptionId, occurredAt, eventId, { ...outcome, updatedAt: now.toISOString() });
  }

  /** Marks a delivery dropped (its subscription is gone) unless it was already delivered. */
  async dropDelivery(subscriptionId: string, occurredAt: string, eventId: string, reason: string, now: Date) {
    await this.update(
      subscriptionId,
      occurredAt,
      eventId,
      { status: 'dropped', lastError: reason, nextRetryAt: null, updatedAt: now.toISOString() },
      true,
    ).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }

  /** The most recent deliveries first. */
  async listDeliveries(subscriptionId: string, limit: number): Promise<Delivery[]> {
    const result = await guardDatabase(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :delivery)',
          ExpressionAttributeValues: { ':pk': deliveriesPk(subscriptionId), ':delivery': 'DELIVERY#' },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    return ((result.Items ?? []) as TableItem[]).map(deliveryFromItem);
  }

  private async update(
    subscriptionId: string,
    occurredAt: string,
    eventId: string,
    fields: Record<string, unknown>,
    unlessDelivered = false,
  ) {
    const names = Object.keys(fields);
    await guardDatabase(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(subscriptionId, occurredAt, eventId),
          UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
          ConditionExpression: unlessDelivered
            ? 'attribute_exists(PK) AND #deliveryStatus <> :delivered'
            : 'attribute_exists(PK)',
          ExpressionAttributeNames: {
            ...Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
            ...(unlessDelivered ? { '#deliveryStatus': 'status' } : {}),
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((name, i) => [`:v${i}`, fields[name]])),
            ...(unlessDelivered ? { ':delivered': 'delivered' } : {}),
          },
        }),
      ),
    );
  }
}
