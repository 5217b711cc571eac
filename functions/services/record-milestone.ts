import { randomUUID } from 'node:crypto';
import type { Caller } from '../domain/caller.js';
import { resolveReportingProvince } from '../domain/caller.js';
import { ConflictError, NotFoundError, ServiceUnavailableError } from '../domain/errors.js';
import {
  decideMilestone,
  type Milestone,
  type MilestoneDecision,
  type MilestoneReport,
} from '../domain/milestone.js';
import { computeProgress, type ProjectProgress } from '../domain/progress.js';
import type { Project } from '../domain/project.js';
import type { Province } from '../domain/provinces.js';
import { METRIC } from '../observability/metric-names.js';
import { type Metrics, noMetrics } from '../observability/metrics.js';
import { RETRY_AFTER_SECONDS } from '../storage/dynamo-errors.js';
import { CommitConflictError, type MilestoneRepository } from '../storage/milestone-repository.js';
import type { ProjectView } from '../storage/project-repository.js';
import {
  requestFingerprint as fingerprint,
  type IdempotentResult,
  idempotencyRecord,
  storedResponse,
} from './idempotency.js';

export interface RecordMilestoneCommand {
  projectId: string;
  caller: Caller;
  report: MilestoneReport & { province?: Province | undefined };
  idempotencyKey: string;
  /** The request's correlation id, stored with the milestone. */
  correlationId?: string;
  /** Once aborted (the invocation timed out), no further attempt starts. */
  signal?: AbortSignal;
}

export type RecordMilestoneResult = IdempotentResult;

export interface RecordedMilestone {
  milestone: Milestone;
  progress: ProjectProgress;
}

export interface MilestoneRecorderDependencies {
  milestones: MilestoneRepository;
  now?: () => Date;
  newId?: () => string;
  /** Attempts before giving up on a contended province (each attempt is one read and one write). */
  maxAttempts?: number;
  /** Waits before attempt `attempt + 1`; full jitter keeps contending writers apart. */
  backoff?: (attempt: number) => Promise<void>;
  /** Reports recorded (per project), corrections, replays and re-reads after a lost race. */
  metrics?: Metrics;
}

export const DEFAULT_MAX_ATTEMPTS = 12;

const jitteredBackoff = (attempt: number): Promise<void> => {
  const cap = Math.min(1000, 20 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
};

/** The fingerprint of a report under an Idempotency-Key (see idempotency.ts). */
export const requestFingerprint = (projectId: string, report: RecordMilestoneCommand['report']): string =>
  fingerprint('recordMilestone', { projectId, report });

/**
 * Records a milestone: read once, decide with the pure rules, commit once. A conflicting
 * concurrent write means reading again and deciding again, a bounded number of times.
 */
export const createMilestoneRecorder = (deps: MilestoneRecorderDependencies) => {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = deps.backoff ?? jitteredBackoff;
  const metrics = deps.metrics ?? noMetrics;

  return async (command: RecordMilestoneCommand): Promise<RecordMilestoneResult> => {
    const { projectId, caller, report, idempotencyKey } = command;
    const province = resolveReportingProvince(caller, report.province);
    const requestHash = requestFingerprint(projectId, report);
    let lastConflict: CommitConflictError | undefined;

    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (command.signal?.aborted) break;
      if (attempt > 1) metrics.add(METRIC.concurrencyRetries);
      const at = now();
      const snapshot = await deps.milestones.readSnapshot(projectId, caller.subject, idempotencyKey);

      const replay = storedResponse(snapshot.idempotency, requestHash, at, REUSED_KEY);
      if (replay !== null) {
        metrics.add(METRIC.idempotentReplays);
        return replay;
      }
      if (!snapshot.view) throw new NotFoundError(`There is no project ${projectId}.`);

      const outcome = decideReport({
        view: snapshot.view,
        caller,
        province,
        report,
        milestoneId: newId(),
        at,
        correlationId: command.correlationId,
      });

      const conflict = await commitOutcome(deps.milestones, outcome, {
        subject: caller.subject,
        key: idempotencyKey,
        requestHash,
        at,
      });
      if (conflict === null) {
        metrics.add(METRIC.reportsRecorded, 1, { projectId });
        if (outcome.decision.milestone.kind === 'correction') metrics.add(METRIC.corrections);
        return { statusCode: 201, body: outcome.body, replayed: false };
      }
      lastConflict = conflict;
      if (!RETRY_AT_ONCE.has(conflict.reason) && attempt < maxAttempts) await backoff(attempt);
    }
    throw givingUp(province, lastConflict);
  };
};

export type MilestoneRecorder = ReturnType<typeof createMilestoneRecorder>;

/**
 * Conflicts the next read settles without waiting: a concurrent request with the same key won
 * (its response is replayed), or a coordinator replaced the definition (the report is decided
 * again under the new one). Only contention between writers of a province calls for backoff.
 */
const RETRY_AT_ONCE: ReadonlySet<CommitConflictError['reason']> = new Set([
  'idempotency-key-taken',
  'project-changed',
]);

const REUSED_KEY =
  'This Idempotency-Key was already used for a different report; use a new key for a new report.';

interface ReportOutcome {
  /** The definition the decision applied; the commit checks that its version is still current. */
  project: Project;
  decision: MilestoneDecision;
  /** The province state's version the decision was made on (the commit's optimistic lock). */
  expectedProvinceVersion: number | null;
  /** The response body, stored with the commit so that a retry replays it. */
  body: string;
}

/** Decision: the pure domain rules applied to what was read, and the progress they lead to. */
const decideReport = (input: {
  view: ProjectView;
  caller: Caller;
  province: Province;
  report: RecordMilestoneCommand['report'];
  milestoneId: string;
  at: Date;
  correlationId: string | undefined;
}): ReportOutcome => {
  const { view, caller, province, report, milestoneId, at, correlationId } = input;
  const { project, region, provinces } = view;
  const current = provinces.find((state) => state.province === province) ?? null;
  const decision = decideMilestone({
    project,
    province,
    current,
    report: {
      value: report.value,
      asOf: report.asOf,
      note: report.note,
      evidenceUrl: report.evidenceUrl,
      correctionReason: report.correctionReason,
    },
    caller,
    milestoneId,
    now: at,
    correlationId,
  });
  const progress = computeProgress(
    project,
    { ...region, provinceValues: { ...region.provinceValues, [province]: decision.next.value } },
    [...provinces.filter((state) => state.province !== province), decision.next],
    at,
  );
  const body = JSON.stringify({ milestone: decision.milestone, progress } satisfies RecordedMilestone);
  return { project, decision, expectedProvinceVersion: current?.version ?? null, body };
};

/**
 * Commit: the milestone, the states and the idempotency record in one transaction. Returns null
 * once committed, or the conflict that calls for another attempt; any other failure is thrown.
 */
const commitOutcome = async (
  milestones: MilestoneRepository,
  outcome: ReportOutcome,
  idempotency: { subject: string; key: string; requestHash: string; at: Date },
): Promise<CommitConflictError | null> => {
  const { project, decision, expectedProvinceVersion, body } = outcome;
  const { subject, key, requestHash, at } = idempotency;
  try {
    await milestones.commit({
      year: project.year,
      project,
      decision,
      expectedProvinceVersion,
      idempotency: {
        subject,
        key,
        record: idempotencyRecord(requestHash, 201, body, at),
      },
    });
    return null;
  } catch (error) {
    if (error instanceof CommitConflictError) return error;
    throw error;
  }
};

/** The error once every attempt met a conflict (or the invocation ran out of time). */
const givingUp = (province: Province, lastConflict: CommitConflictError | undefined): Error => {
  if (lastConflict?.reason === 'province-changed') {
    return new ConflictError(
      'concurrent-modification',
      `Other reports for ${province} kept arriving at the same moment; retry with the same Idempotency-Key.`,
      { cause: lastConflict },
    );
  }
  if (lastConflict?.reason === 'project-changed') {
    return new ConflictError(
      'concurrent-modification',
      "The project's definition kept changing while the report was decided; retry with the same Idempotency-Key.",
      { cause: lastConflict },
    );
  }
  return new ServiceUnavailableError(
    'The database kept reporting conflicting transactions; retry with the same Idempotency-Key.',
    RETRY_AFTER_SECONDS,
    { cause: lastConflict },
  );
};
