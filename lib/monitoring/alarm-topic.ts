import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.js';

/** Enough to catch a typo in the stage settings; AWS's confirmation e-mail proves the rest. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The one topic every alarm notifies, when it fires and when it is back to OK. Encrypted with a
 * key of its own: CloudWatch cannot publish to a topic under the AWS-managed SNS key, since that
 * key's policy cannot let it encrypt. Publishing is allowed over TLS only, and to CloudWatch only
 * for this account's alarms. Each `alarmEmails` address is subscribed (it confirms once).
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, config: StageConfig) {
    super(scope, id);
    for (const address of config.alarmEmails) {
      if (!EMAIL.test(address)) throw new Error(`Alarm e-mail "${address}" is not an e-mail address`);
    }
    const stack = Stack.of(this);
    const cloudwatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');

    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the alarm topic of livelihood-tracker-${config.stage}`,
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudwatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // AWS's documented statement for alarms publishing to an encrypted topic: SNS makes
        // these calls on CloudWatch's behalf, so the topic's policy below is what narrows it.
        resources: ['*'],
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `livelihood-tracker-${config.stage}-alarms`,
      displayName: `Livelihood tracker (${config.stage}) alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    for (const address of config.alarmEmails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(address));
    }
  }
}
