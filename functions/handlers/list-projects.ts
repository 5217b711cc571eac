import { chinaDate } from '../domain/calendar.js';
import { computeProgress } from '../domain/progress.js';
import { httpHandler, lazyHandler } from '../http/middleware.js';
import { queryFrom } from '../http/request.js';
import { jsonResponse } from '../http/responses.js';
import { projectListQuery } from '../schemas/compiled/projects.js';
import { type Dependencies, defaultDependencies } from '../services/dependencies.js';
import { ProjectRepository } from '../storage/project-repository.js';
import { parseWith } from '../validation/parse-with.js';

/** GET /projects?year=2024: every project of a year's list with its progress (default: this year). */
export const createListProjectsHandler = (deps: Dependencies) => {
  const projects = new ProjectRepository(deps);
  return httpHandler(async ({ event }) => {
    const now = deps.now();
    const query = queryFrom(event);
    const { year } = parseWith(
      projectListQuery,
      { year: query.year ?? chinaDate(now).slice(0, 4), ...query },
      'query',
    );
    const views = await projects.listYear(year);
    return jsonResponse(200, {
      year,
      projects: views.map(({ project, region, provinces }) => ({
        project,
        progress: computeProgress(project, region, provinces, now),
      })),
    });
  });
};

export const handler = lazyHandler(() => createListProjectsHandler(defaultDependencies()));
