import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EventBus } from './events/event-bus.js';
import { Notifier } from './events/notifier.js';
import { StreamPublisher } from './events/stream-publisher.js';
import { SubscriptionReplay } from './events/subscription-replay.js';
import { WebhookDelivery } from './events/webhook-delivery.js';
import type { StageConfig } from './stage-config.js';
import type { WebhookSecretsKey } from './webhook-secrets-key.js';

export interface TrackerEventsProps {
  config: StageConfig;
  table: dynamodb.Table;
  /** The deliverer opens webhook secrets with it. */
  secretsKey: WebhookSecretsKey;
}

/**
 * Events, from commit to subscriber: the table's stream → the publisher → the custom bus (archived)
 * → the notifier rule → the notifier → the delivery queue → the deliverer → webhooks; a replay's pages → the replay queue → the
 * replay worker → the delivery queue; and, per
 * subscribing account, a rule forwarding every product event to that account's default bus.
 * Settings come from functions/events/plumbing.ts, which the local runtime applies too.
 *
 * The parts (lib/events/) make their resources in this construct, not in constructs of their own:
 * nesting would change every logical ID below it, and CloudFormation would replace the bus and
 * queues of a deployed stack (tests/infra/logical-ids.test.ts keeps them).
 */
export class TrackerEvents extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  readonly publisher: NodejsFunction;
  /** Stream batches the publisher could not handle after its retries. */
  readonly streamFailureQueue: sqs.Queue;
  readonly notifier: NodejsFunction;
  readonly notifierRule: events.Rule;
  /** Events the notifier could not take after the rule's retries. */
  readonly notifierDeadLetterQueue: sqs.Queue;
  readonly deliveryQueue: sqs.Queue;
  readonly deliveryDeadLetterQueue: sqs.Queue;
  readonly deliverer: NodejsFunction;
  /** A replay's pages, the worker that reads them, and the pages that failed beyond recording. */
  readonly replayQueue: sqs.Queue;
  readonly replayDeadLetterQueue: sqs.Queue;
  readonly replayWorker: NodejsFunction;
  /** Subscribing account id → its forwarding rule. */
  readonly forwardRules: ReadonlyMap<string, events.Rule>;

  constructor(scope: Construct, id: string, props: TrackerEventsProps) {
    super(scope, id);
    const { config, table, secretsKey } = props;

    const { bus, archive, forwardRules } = new EventBus(this, config);
    const { publisher, streamFailureQueue } = new StreamPublisher(this, { config, table, bus });
    const { deliveryQueue, deliveryDeadLetterQueue, deliverer } = new WebhookDelivery(this, {
      config,
      table,
      secretsKey,
    });
    const { replayQueue, replayDeadLetterQueue, replayWorker } = new SubscriptionReplay(this, {
      config,
      table,
      deliveryQueue,
    });
    const { notifier, notifierRule, notifierDeadLetterQueue } = new Notifier(this, {
      config,
      table,
      bus,
      deliveryQueue,
    });

    this.bus = bus;
    this.archive = archive;
    this.forwardRules = forwardRules;
    this.publisher = publisher;
    this.streamFailureQueue = streamFailureQueue;
    this.deliveryQueue = deliveryQueue;
    this.deliveryDeadLetterQueue = deliveryDeadLetterQueue;
    this.deliverer = deliverer;
    this.replayQueue = replayQueue;
    this.replayDeadLetterQueue = replayDeadLetterQueue;
    this.replayWorker = replayWorker;
    this.notifier = notifier;
    this.notifierRule = notifierRule;
    this.notifierDeadLetterQueue = notifierDeadLetterQueue;
  }
}
