/**
 * The write path: POST /projects/{projectId}/milestones through the deployed handler's own
 * composition (middleware, metrics), against the very same DynamoDB commands sent raw.
 */

import type { Role } from '../functions/domain/provinces.js';
import { createRecordMilestoneHandler } from '../functions/handlers/record-milestone.js';
import { lazyHandler } from '../functions/http/middleware.js';
import { httpEvent, lambdaContext } from '../tests/support/fixtures.js';
import type { HandlerBench } from './handler-rounds.js';
import { pathFigures, pathRow, startHandlerBench } from './handler-rounds.js';
import type { BenchRow } from './summary.js';

export const WRITE_PATH_GOAL = 1.1;

/**
 * A function preparing one report each call: a fresh Idempotency-Key and a rising cumulative
 * value, so that every report is a real, committed one (never a replay, never refused).
 */
export const reportsOf = (bench: HandlerBench, projectId: string, role: Role) => {
  const record = lazyHandler(() => createRecordMilestoneHandler(bench.deps));
  let reports = 0;
  return () => {
    reports += 1;
    const event = httpEvent({
      method: 'POST',
      path: `/projects/${projectId}/milestones`,
      routeKey: 'POST /projects/{projectId}/milestones',
      pathParameters: { projectId },
      role,
      headers: { 'idempotency-key': `bench-${role}-${reports}` },
      body: { value: (100_000 + reports) / 1000, asOf: '2024-06-30', note: '基准测试' },
    });
    const context = lambdaContext();
    return async () => {
      const result = await record(event, context);
      if (result.statusCode !== 201) throw new Error(`report refused: ${result.statusCode} ${result.body}`);
    };
  };
};

export interface WritePathResult {
  rows: BenchRow[];
  recordMilestone: ReturnType<typeof pathFigures>;
}

export const measureWritePath = async (): Promise<WritePathResult> => {
  const bench = await startHandlerBench();
  try {
    const samples = await bench.pairedRounds(reportsOf(bench, 'rail-2024', 'jiangsu'));
    return {
      rows: [
        pathRow(
          'write-path',
          'recordMilestone (POST /projects/{projectId}/milestones)',
          samples,
          WRITE_PATH_GOAL,
        ),
      ],
      recordMilestone: pathFigures(samples),
    };
  } finally {
    await bench.stop();
  }
};
