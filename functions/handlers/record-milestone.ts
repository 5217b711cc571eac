import { resolveReportingProvince } from '../domain/caller.js';
import { callerFromEvent } from '../http/caller.js';
import { httpHandler, lazyHandler, readJsonBody } from '../http/middleware.js';
import { idempotencyKeyFrom, projectIdFrom } from '../http/request.js';
import { rawJsonResponse } from '../http/responses.js';
import { milestoneReportBody } from '../schemas/compiled/milestones.js';
import { type Dependencies, defaultDependencies } from '../services/dependencies.js';
import { createMilestoneRecorder, type MilestoneRecorderDependencies } from '../services/record-milestone.js';
import { MilestoneRepository } from '../storage/milestone-repository.js';
import { parseWith } from '../validation/parse-with.js';

export type RecordMilestoneDependencies = Dependencies &
  Pick<MilestoneRecorderDependencies, 'maxAttempts' | 'backoff' | 'newId'>;

/** POST /projects/{projectId}/milestones: a province office records its cumulative progress. */
export const createRecordMilestoneHandler = (deps: RecordMilestoneDependencies) => {
  const record = createMilestoneRecorder({ ...deps, milestones: new MilestoneRepository(deps) });
  return httpHandler(async ({ event, signal, correlationId, annotate }) => {
    const caller = callerFromEvent(event);
    const projectId = projectIdFrom(event);
    const report = parseWith(milestoneReportBody, readJsonBody(event), 'milestone report');
    // The same check the recorder makes first: the access line names the province reported for.
    annotate({ province: resolveReportingProvince(caller, report.province) });
    const idempotencyKey = idempotencyKeyFrom(event);
    const result = await record({ projectId, caller, report, idempotencyKey, correlationId, signal });
    return rawJsonResponse(
      result.statusCode,
      result.body,
      result.replayed ? { 'idempotent-replayed': 'true' } : {},
    );
  });
};

export const handler = lazyHandler(() => createRecordMilestoneHandler(defaultDependencies()));
