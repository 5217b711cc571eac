import type * as events from 'aws-cdk-lib/aws-events';

/** The catalogue's patterns use EventBridge JSON keys; CDK spells detail-type `detailType`. */
export const eventPattern = (pattern: {
  source: readonly string[];
  'detail-type'?: readonly string[];
}): events.EventPattern => ({
  source: [...pattern.source],
  ...(pattern['detail-type'] === undefined ? {} : { detailType: [...pattern['detail-type']] }),
});
