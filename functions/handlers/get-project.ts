import { NotFoundError } from '../domain/errors.js';
import { computeProgress } from '../domain/progress.js';
import { httpHandler, lazyHandler } from '../http/middleware.js';
import { projectIdFrom } from '../http/request.js';
import { jsonResponse } from '../http/responses.js';
import { type Dependencies, defaultDependencies } from '../services/dependencies.js';
import { ProjectRepository } from '../storage/project-repository.js';

/** GET /projects/{projectId}: the catalogue entry and its region and per-province progress. */
export const createGetProjectHandler = (deps: Dependencies) => {
  const projects = new ProjectRepository(deps);
  return httpHandler(async ({ event }) => {
    const projectId = projectIdFrom(event);
    const view = await projects.getView(projectId);
    if (!view) throw new NotFoundError(`There is no project ${projectId}.`);
    return jsonResponse(200, {
      project: view.project,
      progress: computeProgress(view.project, view.region, view.provinces, deps.now()),
    });
  });
};

export const handler = lazyHandler(() => createGetProjectHandler(defaultDependencies()));
