import { createHash, randomUUID } from 'node:crypto';
import type { Caller } from '../domain/caller.js';
import { resolveReportingProvince } from '../domain/caller.js';
import { ConflictError, NotFoundError, ServiceUnavailableError } from '../domain/errors.js';
import { decideMilestone, type Milestone, type MilestoneReport } from '../domain/milestone.js';
import { computeProgress, type ProjectProgress } from '../domain/progress.js';
import type { Province } from '../domain/provinces.js';
import { RETRY_AFTER_SECONDS } from '../storage/dynamo-errors.js';
import { CommitConflictError, type MilestoneRepository } from '../storage/milestone-repository.js';

/** Keys are kept at least this long: a retry within a day replays the first response. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export interface RecordMilestoneCommand {
  projectId: string;
  caller: Caller;
  report: MilestoneReport & { province?: Province | undefined };
  idempotencyKey: string;
  /** Once aborted (the invocation timed out), no further attempt starts. */
  signal?: AbortSignal;
}

export interface RecordMilestoneResult {
  statusCode: number;
  /** The serialised response body: a replay sends exactly these bytes again. */
  body: string;
  replayed: boolean;
}

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
}

export const DEFAULT_MAX_ATTEMPTS = 12;

const jitteredBackoff = (attempt: number): Promise<void> => {
  const cap = Math.min(1000, 20 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
};

/**
 * The fingerprint of a request under an Idempotency-Key: what it asks for, not how it was
 * spelled (key order and whitespace do not matter).
 */
export const requestFingerprint = (projectId: string, report: RecordMilestoneCommand['report']): string =>
  createHash('sha256')
    .update(canonicalJson({ operation: 'recordMilestone', projectId, report }))
    .digest('base64url');

const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/**
 * Records a milestone: read once, decide with the pure rules, commit once. A conflicting
 * concurrent write means reading again and deciding again, a bounded number of times.
 */
export const createMilestoneRecorder = (deps: MilestoneRecorderDependencies) => {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = deps.backoff ?? jitteredBackoff;

  return async (command: RecordMilestoneCommand): Promise<RecordMilestoneResult> => {
    const { projectId, caller, report, idempotencyKey } = command;
    const province = resolveReportingProvince(caller, report.province);
    const requestHash = requestFingerprint(projectId, report);
    let lastConflict: CommitConflictError | undefined;

    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (command.signal?.aborted) break;
      const at = now();
      const snapshot = await deps.milestones.readSnapshot(projectId, caller.subject, idempotencyKey);
      const stored = snapshot.idempotency;
      if (stored && stored.expiresAt > Math.floor(at.getTime() / 1000)) {
        if (stored.requestHash !== requestHash) {
          throw new ConflictError(
            'idempotency-key-reused',
            'This Idempotency-Key was already used for a different report; use a new key for a new report.',
          );
        }
        return { statusCode: stored.statusCode, body: stored.body, replayed: true };
      }
      if (!snapshot.view) throw new NotFoundError(`There is no project ${projectId}.`);

      const { project, region, provinces } = snapshot.view;
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
        milestoneId: newId(),
        now: at,
      });
      const progress = computeProgress(
        project,
        { ...region, provinceValues: { ...region.provinceValues, [province]: decision.next.value } },
        [...provinces.filter((state) => state.province !== province), decision.next],
        at,
      );
      const body = JSON.stringify({ milestone: decision.milestone, progress } satisfies RecordedMilestone);
      try {
        await deps.milestones.commit({
          year: project.year,
          project,
          decision,
          expectedProvinceVersion: current?.version ?? null,
          idempotency: {
            subject: caller.subject,
            key: idempotencyKey,
            record: {
              requestHash,
              statusCode: 201,
              body,
              createdAt: at.toISOString(),
              expiresAt: Math.floor(at.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
            },
          },
        });
        return { statusCode: 201, body, replayed: false };
      } catch (error) {
        if (!(error instanceof CommitConflictError)) throw error;
        lastConflict = error;
        // A concurrent request with the same key won: the next read replays its response.
        if (error.reason !== 'idempotency-key-taken' && attempt < maxAttempts) await backoff(attempt);
      }
    }

    if (lastConflict?.reason === 'province-changed') {
      throw new ConflictError(
        'concurrent-modification',
        `Other reports for ${province} kept arriving at the same moment; retry with the same Idempotency-Key.`,
        { cause: lastConflict },
      );
    }
    throw new ServiceUnavailableError(
      'The database kept reporting conflicting transactions; retry with the same Idempotency-Key.',
      RETRY_AFTER_SECONDS,
      { cause: lastConflict },
    );
  };
};

export type MilestoneRecorder = ReturnType<typeof createMilestoneRecorder>;
