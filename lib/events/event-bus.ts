import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { EVENT_BUS, FORWARD_PATTERN } from '../../functions/events/plumbing.js';
import type { StageConfig } from '../stage-config.js';
import { eventPattern } from './event-pattern.js';

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The custom bus, its archive of every product event, and per subscribing account a rule
 * forwarding every product event to that account's default bus (CDK makes a role allowed to put
 * there only). Not a construct of its own: its resources are made in the scope it is given, so
 * their logical IDs are those the deployed stacks already have.
 */
export class EventBus {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  /** Subscribing account id → its forwarding rule. */
  readonly forwardRules: ReadonlyMap<string, events.Rule>;

  constructor(scope: Construct, config: StageConfig) {
    for (const account of config.subscriberAccounts) {
      if (!ACCOUNT_ID.test(account)) throw new Error(`Subscriber account "${account}" is not a 12-digit id`);
    }

    this.bus = new events.EventBus(scope, 'Bus', {
      eventBusName: `livelihood-tracker-${config.stage}`,
      description: `Yangtze River Delta livelihood projects tracker events (${config.stage})`,
    });
    this.archive = this.bus.archive('Archive', {
      description: 'Every product event, for replay',
      eventPattern: eventPattern(EVENT_BUS.archivePattern),
      retention: Duration.days(EVENT_BUS.archiveRetentionDays),
    });

    const stack = Stack.of(scope);
    const forwardRules = new Map<string, events.Rule>();
    for (const account of config.subscriberAccounts) {
      const defaultBus = events.EventBus.fromEventBusArn(
        scope,
        `DefaultBus${account}`,
        stack.formatArn({
          service: 'events',
          account,
          resource: 'event-bus',
          resourceName: 'default',
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      );
      forwardRules.set(
        account,
        new events.Rule(scope, `Forward${account}`, {
          eventBus: this.bus,
          description: `Every product event → the default bus of account ${account}`,
          eventPattern: eventPattern(FORWARD_PATTERN),
          targets: [new targets.EventBus(defaultBus)],
        }),
      );
    }
    this.forwardRules = forwardRules;
  }
}
