/**
 * What each path parameter of the API must look like, and what a caller reads when it does not.
 * Free of any schema library: a handler checks its path with these alone (http/request.ts), and
 * the schemas the API description is built from are made of the same rules.
 */
import { PROJECT_ID_PATTERN } from '../domain/project.js';
import { REPLAY_ID_PATTERN } from '../domain/replay.js';
import { SUBSCRIPTION_ID_PATTERN } from '../domain/subscription.js';

export interface PathParameterRule {
  pattern: RegExp;
  message: string;
}

export const PATH_PARAMETERS = {
  projectId: { pattern: PROJECT_ID_PATTERN, message: 'must be lower-case letters, digits and hyphens' },
  subscriptionId: { pattern: SUBSCRIPTION_ID_PATTERN, message: 'must be a subscription id' },
  replayId: { pattern: REPLAY_ID_PATTERN, message: 'must be a replay id' },
} as const satisfies Record<string, PathParameterRule>;
export type PathParameterName = keyof typeof PATH_PARAMETERS;
