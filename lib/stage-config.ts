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
  /**
   * Origins (`https://host[:port]`) allowed to call the API from another site's page. Empty: no
   * CORS at all, which the dashboard does not need (the API serves it, same origin). `*` lets any
   * site's page call the API; never in prod (validateStageConfig).
   */
  corsOrigins: string[];
  /**
   * AWS account ids (12 digits) of offices that receive the product's events on their default
   * event bus: one forwarding rule each. Each account must allow this account to put events on its
   * default bus (a bus resource policy on their side) before the deploy that lists it.
   */
  subscriberAccounts: string[];
  /** Whether webhook URLs may point at http://localhost (the local stage only; never in AWS). */
  allowLocalWebhooks: boolean;
  /**
   * Subscriptions an office (the coordinator is one office too) may hold at once, active or
   * disabled; a deleted one frees its place. Bounds the notifier's fan-out per event.
   */
  maxSubscriptionsPerOffice: number;
  /**
   * Ports a webhook URL may name besides 443 and 80 (deployed stages; the local stage allows any
   * port on localhost). Few ports keep a subscriber from probing other services through us.
   */
  allowedWebhookPorts: number[];
  /**
   * Addresses subscribed by e-mail to the alarm topic (each confirms once, from the message AWS
   * sends). Empty: alarms still go to the topic; subscribe there by other means.
   */
  alarmEmails: string[];
  /** Lowest level the functions log (Lambda's application log level). */
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Multi-factor sign-in (TOTP) for the offices' accounts: required for every user, or optional. */
  mfa: 'optional' | 'required';
}

export const STAGES: Readonly<Record<StageName, StageConfig>> = {
  local: {
    stage: 'local',
    publicReads: true,
    protectData: false,
    logRetentionDays: 7,
    corsOrigins: ['*'],
    subscriberAccounts: [],
    allowLocalWebhooks: true,
    maxSubscriptionsPerOffice: 25,
    allowedWebhookPorts: [],
    alarmEmails: [],
    logLevel: 'DEBUG',
    mfa: 'optional',
  },
  dev: {
    stage: 'dev',
    publicReads: true,
    protectData: false,
    logRetentionDays: 30,
    corsOrigins: ['*'],
    subscriberAccounts: [],
    allowLocalWebhooks: false,
    maxSubscriptionsPerOffice: 25,
    allowedWebhookPorts: [],
    alarmEmails: [],
    logLevel: 'DEBUG',
    mfa: 'optional',
  },
  prod: {
    stage: 'prod',
    publicReads: true,
    protectData: true,
    logRetentionDays: 365,
    // The dashboard is served by the API itself: browsers need no CORS.
    corsOrigins: [],
    // The offices' accounts that receive every product event on their default bus go here,
    // e.g. ['111122223333']; each must first allow this account to put events on that bus.
    subscriberAccounts: [],
    allowLocalWebhooks: false,
    maxSubscriptionsPerOffice: 25,
    allowedWebhookPorts: [],
    // The regional office's on-call addresses, e.g. ['ops@example.gov.cn'].
    alarmEmails: [],
    logLevel: 'INFO',
    mfa: 'required',
  },
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

/** An origin as a browser sends it: scheme, host and an optional port, nothing after. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

/**
 * Refuses settings no deployment may have; the stack checks them before it makes anything. Prod
 * lets no site's page call the API in a user's name (no `*` origin, https only) and requires TOTP
 * of every user.
 */
export const validateStageConfig = (config: StageConfig): void => {
  const problems: string[] = [];
  for (const origin of config.corsOrigins) {
    if (origin === '*') {
      if (config.stage === 'prod') problems.push('corsOrigins may not hold "*" in prod: name each origin');
    } else if (!ORIGIN.test(origin)) {
      problems.push(`corsOrigins: "${origin}" is not an origin (scheme://host[:port], nothing after)`);
    } else if (config.stage === 'prod' && !origin.startsWith('https://')) {
      problems.push(`corsOrigins: "${origin}" is not https, which prod requires`);
    }
  }
  if (config.stage === 'prod' && config.mfa !== 'required') problems.push('mfa must be "required" in prod');
  if (problems.length > 0) {
    throw new Error(`Stage "${config.stage}" settings refused: ${problems.join('; ')}`);
  }
};
