import { yearEnd, yearStart } from './calendar.js';
import { ConflictError, type FieldIssue, ValidationError } from './errors.js';
import type { Project } from './project.js';

/** A catalogue entry as the coordinator writes it; omitted dates default to the list's year. */
export type ProjectDefinition = Omit<Project, 'id' | 'startDate' | 'deadline' | 'version' | 'updatedAt'> & {
  startDate?: string | undefined;
  deadline?: string | undefined;
};

/**
 * Builds the stored project from a definition, creating it (version 1) or replacing an existing
 * entry (next version). An annual list's year is part of the project's identity and never moves.
 */
export const defineProject = (
  id: string,
  definition: ProjectDefinition,
  existing: Project | null,
  now: Date,
): Project => {
  if (existing && existing.year !== definition.year) {
    throw new ConflictError(
      'project-year-immutable',
      `Project ${id} belongs to the ${existing.year} list; create a new project for ${definition.year}.`,
    );
  }
  const startDate = definition.startDate ?? yearStart(definition.year);
  const deadline = definition.deadline ?? yearEnd(definition.year);
  const issues: FieldIssue[] = [];
  if (startDate > deadline)
    issues.push({ field: 'deadline', message: `must not be before startDate (${startDate})` });
  if (definition.aggregation === 'each' && Object.keys(definition.provinceTargets).length > 0) {
    issues.push({
      field: 'provinceTargets',
      message: "are only for 'sum' projects; an 'each' project's target applies to every province",
    });
  }
  if (Object.keys(definition.provinceTargets).length > 0 && definition.target === null) {
    issues.push({ field: 'provinceTargets', message: 'need a regional target as well' });
  }
  if (issues.length > 0) throw new ValidationError(`The definition of project ${id} is not valid.`, issues);

  return {
    id,
    year: definition.year,
    name: definition.name,
    metric: definition.metric,
    unit: definition.unit,
    allowDecimals: definition.allowDecimals,
    target: definition.target,
    targetIsMinimum: definition.targetIsMinimum,
    aggregation: definition.aggregation,
    startDate,
    deadline,
    provinceTargets: definition.provinceTargets,
    reportingIntervalDays: definition.reportingIntervalDays,
    atRiskTolerancePoints: definition.atRiskTolerancePoints,
    version: (existing?.version ?? 0) + 1,
    updatedAt: now.toISOString(),
  };
};
