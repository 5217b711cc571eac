import type { Milestone, ProvinceState } from '../domain/milestone.js';
import type { RegionAggregate } from '../domain/progress.js';
import type { Project } from '../domain/project.js';
import {
  ENTITY,
  milestoneKeys,
  projectKey,
  projectYearIndexKey,
  provinceKey,
  provinceYearIndexKey,
  regionKey,
  regionYearIndexKey,
} from './keys.js';

/** `toItem`/`fromItem` for every entity: what is stored is exactly what the domain holds, plus keys. */
type Item = Record<string, unknown>;

const KEY_FIELDS = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'entity']);
const withoutKeys = (item: Item): Item =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !KEY_FIELDS.has(name)));

export const projectToItem = (project: Project): Item => ({
  ...projectKey(project.id),
  ...projectYearIndexKey(project.id, project.year),
  entity: ENTITY.project,
  ...project,
});
export const projectFromItem = (item: Item): Project => withoutKeys(item) as unknown as Project;

export const regionToItem = (projectId: string, year: number, region: RegionAggregate): Item => ({
  ...regionKey(projectId),
  ...regionYearIndexKey(projectId, year),
  entity: ENTITY.region,
  projectId,
  ...region,
});
export const regionFromItem = (item: Item): RegionAggregate => {
  const { total, provinceValues, version, updatedAt } = item as unknown as RegionAggregate;
  return { total, provinceValues, version, updatedAt };
};

export const provinceToItem = (projectId: string, year: number, state: ProvinceState): Item => ({
  ...provinceKey(projectId, state.province),
  ...provinceYearIndexKey(projectId, year, state.province),
  entity: ENTITY.province,
  projectId,
  ...state,
});
export const provinceFromItem = (item: Item): ProvinceState => {
  const { province, value, asOf, lastReportedAt, lastMilestoneId, reportCount, version } =
    item as unknown as ProvinceState;
  return { province, value, asOf, lastReportedAt, lastMilestoneId, reportCount, version };
};

export const milestoneToItem = (milestone: Milestone): Item => ({
  ...milestoneKeys(
    milestone.projectId,
    milestone.province,
    milestone.asOf,
    milestone.recordedAt,
    milestone.id,
  ),
  entity: ENTITY.milestone,
  ...milestone,
});
export const milestoneFromItem = (item: Item): Milestone => withoutKeys(item) as unknown as Milestone;
