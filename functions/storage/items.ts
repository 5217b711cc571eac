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
import type { TableItem } from './table-repository.js';

/** `toItem`/`fromItem` for every entity: what is stored is exactly what the domain holds, plus keys. */

export const projectToItem = (project: Project): TableItem => ({
  ...projectKey(project.id),
  ...projectYearIndexKey(project.id, project.year),
  entity: ENTITY.project,
  ...project,
});
/** Rebuilt field by field: a stable order for readers, and no stray attribute leaks out. */
export const projectFromItem = (item: TableItem): Project => {
  const p = item as unknown as Project;
  return {
    id: p.id,
    year: p.year,
    name: p.name,
    metric: p.metric ?? null,
    unit: p.unit ?? null,
    allowDecimals: p.allowDecimals,
    target: p.target ?? null,
    targetIsMinimum: p.targetIsMinimum ?? false,
    aggregation: p.aggregation,
    startDate: p.startDate,
    deadline: p.deadline,
    provinceTargets: p.provinceTargets ?? {},
    reportingIntervalDays: p.reportingIntervalDays,
    atRiskTolerancePoints: p.atRiskTolerancePoints,
    version: p.version,
    updatedAt: p.updatedAt,
  };
};

export const regionToItem = (projectId: string, year: number, region: RegionAggregate): TableItem => ({
  ...regionKey(projectId),
  ...regionYearIndexKey(projectId, year),
  entity: ENTITY.region,
  projectId,
  ...region,
});
export const regionFromItem = (item: TableItem): RegionAggregate => {
  const { total, provinceValues, version, updatedAt } = item as unknown as RegionAggregate;
  return { total, provinceValues, version, updatedAt };
};

export const provinceToItem = (projectId: string, year: number, state: ProvinceState): TableItem => ({
  ...provinceKey(projectId, state.province),
  ...provinceYearIndexKey(projectId, year, state.province),
  entity: ENTITY.province,
  projectId,
  ...state,
});
export const provinceFromItem = (item: TableItem): ProvinceState => {
  const { province, value, asOf, lastReportedAt, lastMilestoneId, reportCount, version } =
    item as unknown as ProvinceState;
  return { province, value, asOf, lastReportedAt, lastMilestoneId, reportCount, version };
};

export const milestoneToItem = (milestone: Milestone): TableItem => ({
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
export const milestoneFromItem = (item: TableItem): Milestone => {
  const m = item as unknown as Milestone;
  return {
    id: m.id,
    projectId: m.projectId,
    province: m.province,
    value: m.value,
    asOf: m.asOf,
    kind: m.kind,
    ...(m.correctionReason === undefined ? {} : { correctionReason: m.correctionReason }),
    ...(m.note === undefined ? {} : { note: m.note }),
    ...(m.evidenceUrl === undefined ? {} : { evidenceUrl: m.evidenceUrl }),
    previousValue: m.previousValue ?? null,
    previousAsOf: m.previousAsOf ?? null,
    recordedAt: m.recordedAt,
    recordedBy: m.recordedBy,
    ...(m.correlationId === undefined ? {} : { correlationId: m.correlationId }),
  };
};
