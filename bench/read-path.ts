/**
 * The read path: GET /projects/{projectId} and GET /projects?year= through the deployed handlers'
 * own composition, against the very same DynamoDB commands sent raw, on a list where every
 * province has reported.
 */
import { PROVINCES } from '../functions/domain/provinces.js';
import { createGetProjectHandler } from '../functions/handlers/get-project.js';
import { createListProjectsHandler } from '../functions/handlers/list-projects.js';
import { lazyHandler } from '../functions/http/middleware.js';
import type { HttpEvent } from '../functions/http/types.js';
import { httpEvent, lambdaContext } from '../tests/support/fixtures.js';
import { pathFigures, pathRow, startHandlerBench } from './handler-rounds.js';
import type { BenchRow } from './summary.js';
import { reportsOf } from './write-path.js';

export const READ_PATH_GOAL = 1.05;

const READ_PROJECT = 'rail-2024';

export interface ReadPathResult {
  rows: BenchRow[];
  getProject: ReturnType<typeof pathFigures>;
  listProjects: ReturnType<typeof pathFigures>;
}

const readsOf =
  (
    handler: (event: HttpEvent, context: ReturnType<typeof lambdaContext>) => Promise<{ statusCode: number }>,
    event: () => HttpEvent,
  ) =>
  () => {
    const request = event();
    const context = lambdaContext();
    return async () => {
      const result = await handler(request, context);
      if (result.statusCode !== 200) throw new Error(`read failed: ${result.statusCode}`);
    };
  };

export const measureReadPath = async (): Promise<ReadPathResult> => {
  const bench = await startHandlerBench();
  try {
    // Every province reports on the project read, so that its progress has something to sum.
    for (const province of PROVINCES) {
      const report = reportsOf(bench, READ_PROJECT, province);
      await bench.mirror(report());
    }
    const getProject = lazyHandler(() => createGetProjectHandler(bench.deps));
    const listProjects = lazyHandler(() => createListProjectsHandler(bench.deps));
    const one = await bench.pairedRounds(
      readsOf(getProject, () =>
        httpEvent({
          path: `/projects/${READ_PROJECT}`,
          routeKey: 'GET /projects/{projectId}',
          pathParameters: { projectId: READ_PROJECT },
        }),
      ),
    );
    const year = await bench.pairedRounds(
      readsOf(listProjects, () =>
        httpEvent({ path: '/projects', routeKey: 'GET /projects', query: { year: '2024' } }),
      ),
    );
    return {
      rows: [
        pathRow('read-path', 'getProject (GET /projects/{projectId})', one, READ_PATH_GOAL),
        pathRow('read-path', 'listProjects (GET /projects?year=2024)', year, READ_PATH_GOAL),
      ],
      getProject: pathFigures(one),
      listProjects: pathFigures(year),
    };
  } finally {
    await bench.stop();
  }
};
