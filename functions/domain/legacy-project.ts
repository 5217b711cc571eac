/**
 * A project stored before projects had several metrics: one figure, a target that is always a
 * minimum from zero, and `sum` or `each`. It reads as a project with one metric of id `main`,
 * so that everything stored in that shape keeps working under the rules of metrics.
 */
import type { Metric } from './metric.js';
import type { Project } from './project.js';
import { COORDINATOR } from './provinces.js';

export const LEGACY_METRIC_ID = 'main';

/** The one metric a single-figure project has. */
export const metricOfLegacyProject = (project: Project): Metric => ({
  id: LEGACY_METRIC_ID,
  name: project.metric ?? project.name,
  unit: project.unit,
  allowDecimals: project.allowDecimals,
  direction: 'atLeast',
  baseline: 0,
  target: project.target,
  combine: project.aggregation,
  provinceTargets: project.provinceTargets,
  reporter: COORDINATOR,
  note: null,
});
