/**
 * What the API gives the dashboard, as plain data: kept apart from api.ts, which fetches it, so
 * the views and their tests need no fetch.
 */
import type { Milestone } from '../../functions/domain/milestone.js';
import type { ProjectProgress } from '../../functions/domain/progress.js';
import type { Project } from '../../functions/domain/project.js';

export interface ProjectWithProgress {
  project: Project;
  progress: ProjectProgress;
}

export interface ProjectList {
  year: number;
  projects: ProjectWithProgress[];
}

export interface ProjectDetail extends ProjectWithProgress {
  milestones: Milestone[];
  /** More history exists than the page followed. */
  truncated: boolean;
}
