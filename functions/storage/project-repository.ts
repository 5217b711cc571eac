import { ConflictError } from '../domain/errors.js';
import type { ProvinceState } from '../domain/milestone.js';
import { emptyRegionAggregate, type RegionAggregate } from '../domain/progress.js';
import type { Project } from '../domain/project.js';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from './document-client.js';
import { guardDatabase, isConditionFailure } from './dynamo-errors.js';
import { projectFromItem, projectToItem, provinceFromItem, regionFromItem, regionToItem } from './items.js';
import { ENTITY, projectKey, projectPk, STATE_PREFIX, yearPk } from './keys.js';
import { GSI1 } from './table-definition.js';
import { type TableAccess, type TableItem, TableRepository } from './table-repository.js';

/** A project with its region aggregate and the provinces that have reported. */
export interface ProjectView {
  project: Project;
  region: RegionAggregate;
  provinces: ProvinceState[];
}

export interface QueryCost {
  /** Capacity units the read consumed, when the repository was asked to measure. */
  consumedCapacity: number;
}

export interface ProjectRepositoryOptions extends TableAccess {
  /** Ask DynamoDB for consumed capacity (tests prove reads stay flat as history grows). */
  measureCapacity?: boolean;
}

export class ProjectRepository extends TableRepository {
  private readonly measureCapacity: boolean;
  /** Capacity consumed by the last read, when measuring. */
  lastReadCost: QueryCost = { consumedCapacity: 0 };

  constructor(options: ProjectRepositoryOptions) {
    super(options);
    this.measureCapacity = options.measureCapacity ?? false;
  }

  /** One Query over the project's state items (project, region, up to four provinces): never its milestones. */
  async getView(projectId: string): Promise<ProjectView | null> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :state)',
      ExpressionAttributeValues: { ':pk': projectPk(projectId), ':state': STATE_PREFIX },
      ConsistentRead: true,
    });
    return assembleViews(items)[0] ?? null;
  }

  /** Whether the catalogue has this project: one GetItem on the project item. */
  async exists(projectId: string): Promise<boolean> {
    const result = await guardDatabase(() =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: projectKey(projectId), ProjectionExpression: 'PK' }),
      ),
    );
    return result.Item !== undefined;
  }

  /** Every project of a year with its state, from the year index: bounded by the size of the list. */
  async listYear(year: number): Promise<ProjectView[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: GSI1.indexName,
      KeyConditionExpression: 'GSI1PK = :year',
      ExpressionAttributeValues: { ':year': yearPk(year) },
    });
    return assembleViews(items);
  }

  /** Creates the project and its empty region aggregate together; fails if the id is taken. */
  async create(project: Project): Promise<void> {
    try {
      await guardDatabase(() =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: projectToItem(project),
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: regionToItem(project.id, project.year, emptyRegionAggregate(project.updatedAt)),
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ],
          }),
        ),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError('project-exists', `Project ${project.id} already exists.`, { cause: error });
      }
      throw error;
    }
  }

  /** Replaces the catalogue entry if nobody changed it since `expectedVersion` was read. */
  async update(project: Project, expectedVersion: number): Promise<void> {
    try {
      await guardDatabase(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: projectToItem(project),
            ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
        ),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError(
          'concurrent-modification',
          `Project ${project.id} was changed by another request; read it again and retry.`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  /** Creates each entry that does not exist yet; existing entries (and their progress) are left alone. */
  async seed(projects: readonly Project[]): Promise<string[]> {
    const created: string[] = [];
    for (const project of projects) {
      try {
        await this.create(project);
        created.push(project.id);
      } catch (error) {
        if (!(error instanceof ConflictError && error.code === 'project-exists')) throw error;
      }
    }
    return created;
  }

  private async queryAll(input: QueryCommandInput): Promise<TableItem[]> {
    const items: TableItem[] = [];
    let consumed = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await guardDatabase(() =>
        this.db.send(
          new QueryCommand({
            ...input,
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: this.measureCapacity ? 'TOTAL' : undefined,
          }),
        ),
      );
      items.push(...((page.Items ?? []) as TableItem[]));
      consumed += page.ConsumedCapacity?.CapacityUnits ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    this.lastReadCost = { consumedCapacity: consumed };
    return items;
  }
}

/** Groups state items by project; a project without its project item (half-written) is skipped. */
export const assembleViews = (items: readonly TableItem[]): ProjectView[] => {
  const byProject = new Map<
    string,
    { project?: Project; region?: RegionAggregate; provinces: ProvinceState[] }
  >();
  for (const item of items) {
    const pk = String(item.PK);
    const entry = byProject.get(pk) ?? { provinces: [] };
    byProject.set(pk, entry);
    if (item.entity === ENTITY.project) entry.project = projectFromItem(item);
    else if (item.entity === ENTITY.region) entry.region = regionFromItem(item);
    else if (item.entity === ENTITY.province) entry.provinces.push(provinceFromItem(item));
  }
  const views: ProjectView[] = [];
  for (const entry of byProject.values()) {
    if (!entry.project) continue;
    views.push({
      project: entry.project,
      region: entry.region ?? emptyRegionAggregate(entry.project.updatedAt),
      provinces: entry.provinces,
    });
  }
  return views.sort((a, b) => a.project.id.localeCompare(b.project.id));
};
