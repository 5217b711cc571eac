import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { StageName } from '../stage-config.js';
import { type RunbookSection, runbookReference } from './runbook.js';

export interface RunbookAlarmProps {
  /** Appended to `livelihood-tracker-<stage>-`: the name the e-mails show. */
  name: string;
  metric: cloudwatch.IMetric;
  threshold: number;
  comparison: cloudwatch.ComparisonOperator;
  /** Consecutive breaching periods before it fires; default 1. */
  periods?: number;
  /** Default: no data is fine (a queue or function that is idle). */
  missingData?: cloudwatch.TreatMissingData;
  /** What it means when it fires, in a sentence or two. */
  meaning: string;
  runbook: RunbookSection;
}

/**
 * An alarm that tells the alarm topic when it fires and when it is OK again, and whose
 * description says what it means and which README runbook section to follow.
 */
export const runbookAlarm = (
  scope: Construct,
  id: string,
  context: { stage: StageName; topic: sns.ITopic },
  props: RunbookAlarmProps,
): cloudwatch.Alarm => {
  const periods = props.periods ?? 1;
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: `livelihood-tracker-${context.stage}-${props.name}`,
    alarmDescription: `${props.meaning} ${runbookReference(props.runbook)}`,
    metric: props.metric,
    threshold: props.threshold,
    comparisonOperator: props.comparison,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
    treatMissingData: props.missingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const action = new SnsAction(context.topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
};
