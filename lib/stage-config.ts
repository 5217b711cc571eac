/**
 * Stage settings in one typed place (`cdk deploy -c stage=prod`). No CDK imports here: the
 * local runtime reads the `local` stage from the same file.
 */
export type StageName = 'local' | 'dev' | 'prod';

export interface StageConfig {
  stage: StageName;
  /** Whether GET routes for projects and milestones may be read without a token. */
  publicReads: boolean;
  /** Retain the table and protect it from deletion. */
  protectData: boolean;
  logRetentionDays: 7 | 30 | 90 | 365;
  /** CORS origins allowed to call the API from a browser. */
  corsOrigins: string[];
}

export const STAGES: Readonly<Record<StageName, StageConfig>> = {
  local: { stage: 'local', publicReads: true, protectData: false, logRetentionDays: 7, corsOrigins: ['*'] },
  dev: { stage: 'dev', publicReads: true, protectData: false, logRetentionDays: 30, corsOrigins: ['*'] },
  prod: { stage: 'prod', publicReads: true, protectData: true, logRetentionDays: 365, corsOrigins: ['*'] },
};

export const isStageName = (value: unknown): value is StageName =>
  typeof value === 'string' && Object.hasOwn(STAGES, value);

export const stageConfig = (name: unknown): StageConfig => {
  const stage = name ?? 'dev';
  if (!isStageName(stage)) {
    throw new Error(`Unknown stage "${String(stage)}": use one of ${Object.keys(STAGES).join(', ')}`);
  }
  return STAGES[stage];
};
