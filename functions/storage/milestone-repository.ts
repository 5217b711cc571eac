import type { Milestone, MilestoneDecision } from '../domain/milestone.js';
import type { RegionChange } from '../domain/progress.js';
import type { Project } from '../domain/project.js';
import { PROVINCES, type Province } from '../domain/provinces.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import {
  BatchGetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from './document-client.js';
import { backOffUnprocessed, cancellationReasons, guardDatabase } from './dynamo-errors.js';
import { type IdempotencyRecord, idempotencyFromItem, idempotencyPut } from './idempotency-records.js';
import { milestoneFromItem, milestoneToItem, provinceToItem } from './items.js';
import {
  ENTITY,
  idempotencyKey,
  MILESTONE_PREFIX,
  projectKey,
  projectPk,
  provinceKey,
  provinceMilestonesPk,
  regionKey,
} from './keys.js';
import type { ProjectView } from './project-repository.js';
import { assembleViews } from './project-repository.js';
import { GSI1 } from './table-definition.js';
import { type TableItem, TableRepository } from './table-repository.js';

export interface ReportSnapshot {
  view: ProjectView | null;
  idempotency: IdempotencyRecord | null;
}

export interface CommitReportInput {
  year: number;
  /**
   * The definition the report was decided under: its target and aggregation are recorded on the
   * region aggregate with the change, and its version must still be the project's at commit.
   */
  project: Pick<Project, 'target' | 'aggregation' | 'version'>;
  decision: MilestoneDecision;
  /** The province state's version the decision was made on; null when the province had not reported. */
  expectedProvinceVersion: number | null;
  idempotency: { subject: string; key: string; record: IdempotencyRecord };
}

/** Why a commit was refused; the caller decides whether to read again and retry. */
export class CommitConflictError extends Error {
  override readonly name = 'CommitConflictError';
  constructor(
    readonly reason:
      | 'province-changed'
      | 'project-changed'
      | 'idempotency-key-taken'
      | 'transaction-conflict',
    options?: ErrorOptions,
  ) {
    super(`The report could not be committed: ${reason}`, options);
  }
}

export interface MilestonePage {
  milestones: Milestone[];
  nextCursor: string | null;
}

export class MilestoneRepository extends TableRepository {
  /**
   * The one read of a report: the project, its region aggregate, the four province states and
   * the idempotency record, strongly consistent, in a single BatchGetItem. (Unprocessed keys,
   * which DynamoDB returns only under throttling, are fetched again.)
   */
  async readSnapshot(projectId: string, subject: string, key: string): Promise<ReportSnapshot> {
    let keys: TableItem[] = [
      projectKey(projectId),
      regionKey(projectId),
      ...PROVINCES.map((province) => provinceKey(projectId, province)),
      idempotencyKey(subject, key),
    ];
    const items: TableItem[] = [];
    for (let round = 0; keys.length > 0; round++) {
      if (round > 0) await backOffUnprocessed(round);
      const requested = keys;
      const result = await guardDatabase(() =>
        this.db.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: requested, ConsistentRead: true } },
          }),
        ),
      );
      items.push(...((result.Responses?.[this.tableName] ?? []) as TableItem[]));
      keys = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as TableItem[];
    }
    const record = items.find((item) => item.entity === ENTITY.idempotency);
    const stateItems = items.filter((item) => item.entity !== ENTITY.idempotency);
    return {
      view: assembleViews(stateItems)[0] ?? null,
      idempotency: record ? idempotencyFromItem(record) : null,
    };
  }

  /**
   * Commits the milestone, the province's state, the region aggregate and the idempotency record
   * in one TransactWriteItems: all or nothing. The province state's version is the optimistic
   * lock; the project's version is checked too, so a report decided under a definition that a
   * coordinator has since replaced is not committed; the region total moves by ADD so that
   * provinces do not contend with each other.
   */
  async commit(input: CommitReportInput): Promise<void> {
    const transaction = buildCommitTransaction(this.tableName, input);
    try {
      await guardDatabase(() => this.db.send(new TransactWriteCommand(transaction)));
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons === null) throw error;
      if (reasons.includes('TransactionConflict')) {
        throw new CommitConflictError('transaction-conflict', { cause: error });
      }
      const failed = (index: number) => reasons[index] === 'ConditionalCheckFailed';
      if (failed(COMMIT_INDEX.idempotency))
        throw new CommitConflictError('idempotency-key-taken', { cause: error });
      if (failed(COMMIT_INDEX.project)) throw new CommitConflictError('project-changed', { cause: error });
      if (failed(COMMIT_INDEX.province)) throw new CommitConflictError('province-changed', { cause: error });
      throw error;
    }
  }

  /** History newest first (by as-of date, then by when it was recorded), a page at a time. */
  async listMilestones(
    projectId: string,
    options: { province?: Province | undefined; limit: number; cursor?: string | undefined },
  ): Promise<MilestonePage> {
    const byProvince = options.province !== undefined;
    const startKey =
      options.cursor === undefined
        ? undefined
        : decodeCursor(options.cursor, { projectId, province: options.province });
    const result = await guardDatabase(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...(byProvince
            ? {
                IndexName: GSI1.indexName,
                KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
                ExpressionAttributeValues: {
                  ':pk': provinceMilestonesPk(projectId, options.province as Province),
                  ':prefix': MILESTONE_PREFIX,
                },
              }
            : {
                KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
                ExpressionAttributeValues: { ':pk': projectPk(projectId), ':prefix': MILESTONE_PREFIX },
              }),
          ScanIndexForward: false,
          Limit: options.limit,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    return {
      milestones: ((result.Items ?? []) as TableItem[]).map(milestoneFromItem),
      nextCursor: result.LastEvaluatedKey ? encodeCursor(result.LastEvaluatedKey) : null,
    };
  }
}

/** Positions of the items in the commit transaction, for reading its cancellation reasons. */
export const COMMIT_INDEX = { milestone: 0, province: 1, idempotency: 2, project: 3, region: 4 } as const;

/** Pure builder of the commit transaction: tested without any database. */
export const buildCommitTransaction = (
  tableName: string,
  input: CommitReportInput,
): TransactWriteCommandInput => {
  const { decision, expectedProvinceVersion, idempotency, year, project } = input;
  const { milestone, next, delta } = decision;
  const change: RegionChange = {
    target: project.target,
    aggregation: project.aggregation,
    province: milestone.province,
    milestoneId: milestone.id,
    asOf: milestone.asOf,
    recordedAt: milestone.recordedAt,
    recordedBy: milestone.recordedBy,
    ...(milestone.correlationId === undefined ? {} : { correlationId: milestone.correlationId }),
  };
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    {
      Put: {
        TableName: tableName,
        Item: milestoneToItem(milestone),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: provinceToItem(milestone.projectId, year, next),
        ...(expectedProvinceVersion === null
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : {
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': expectedProvinceVersion },
            }),
      },
    },
    idempotencyPut(tableName, idempotency.subject, idempotency.key, idempotency.record),
    {
      // The decision applied this definition's rules (decimals, start date, plausible values):
      // a coordinator's PUT since the read means deciding again under the new one.
      ConditionCheck: {
        TableName: tableName,
        Key: projectKey(milestone.projectId),
        ConditionExpression: '#version = :decidedUnder',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':decidedUnder': project.version },
      },
    },
  ];
  if (milestone.kind !== 'backfill') {
    items.push({
      Update: {
        TableName: tableName,
        Key: regionKey(milestone.projectId),
        UpdateExpression:
          'SET #values.#province = :value, #updatedAt = :now, #lastChange = :change ADD #total :delta, #version :one',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: {
          '#values': 'provinceValues',
          '#province': milestone.province,
          '#updatedAt': 'updatedAt',
          '#total': 'total',
          '#version': 'version',
          '#lastChange': 'lastChange',
        },
        ExpressionAttributeValues: {
          ':change': change,
          ':value': next.value,
          ':now': milestone.recordedAt,
          ':delta': delta,
          ':one': 1,
        },
      },
    });
  }
  return { TransactItems: items };
};
