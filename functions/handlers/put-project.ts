import { requireCoordinator } from '../domain/caller.js';
import { computeProgress } from '../domain/progress.js';
import { defineProject } from '../domain/project-definition.js';
import { callerFromEvent } from '../http/caller.js';
import { httpHandler, lazyHandler, readJsonBody } from '../http/middleware.js';
import { projectIdFrom } from '../http/request.js';
import { jsonResponse } from '../http/responses.js';
import { projectBody } from '../schemas/compiled/projects.js';
import { type Dependencies, defaultDependencies } from '../services/dependencies.js';
import { ProjectRepository } from '../storage/project-repository.js';
import { parseWith } from '../validation/parse-with.js';

/**
 * PUT /projects/{projectId}: the coordinator creates (201) or replaces (200) a catalogue entry.
 * Progress is kept: it is computed from the reports against whatever target is current.
 */
export const createPutProjectHandler = (deps: Dependencies) => {
  const projects = new ProjectRepository(deps);
  return httpHandler(async ({ event }) => {
    requireCoordinator(callerFromEvent(event), 'define projects');
    const projectId = projectIdFrom(event);
    const definition = parseWith(projectBody, readJsonBody(event), 'project definition');
    const now = deps.now();
    const existing = await projects.getView(projectId);
    const project = defineProject(projectId, definition, existing?.project ?? null, now);
    if (existing) await projects.update(project, existing.project.version);
    else await projects.create(project);
    const region = existing?.region ?? {
      total: 0,
      provinceValues: {},
      version: 0,
      updatedAt: project.updatedAt,
    };
    return jsonResponse(existing ? 200 : 201, {
      project,
      progress: computeProgress(project, region, existing?.provinces ?? [], now),
    });
  });
};

export const handler = lazyHandler(() => createPutProjectHandler(defaultDependencies()));
