/**
 * A local EventBridge bus the unchanged AWS SDK can call: an HTTP endpoint speaking the JSON 1.1
 * protocol for `AWSEvents.PutEvents`, rules matched with the EventBridge pattern semantics, and
 * asynchronous delivery to targets with the rule's retry policy and a dead-letter step. With a
 * `dataDir` every accepted event is journalled first (see event-journal.ts).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_ACCOUNT_ID } from '../shared/aws-account.js';
import { listen, urlHost } from '../shared/listen.js';
import { AwsError } from './aws-error.js';
import { Deliveries } from './deliveries.js';
import { EventJournal } from './event-journal.js';
import { compilePattern } from './event-pattern.js';
import { createEventBusServer } from './http-api.js';
import { type CompiledRule, type EntryResult, readPutEvents, targetKey } from './put-events.js';
import type { LocalEventBus, LocalEventBusOptions, LocalRule, LocalTarget } from './types.js';

const DEFAULT_CLOSE_GRACE_MS = 1_000;

/** The targets by `rule/target` key, and the rules with their patterns compiled. */
const compileRules = (rules: readonly LocalRule[]) => {
  const targets = new Map<string, { rule: string; target: LocalTarget }>();
  const compiled = rules.map((rule): CompiledRule => {
    for (const target of rule.targets) {
      const key = targetKey(rule.name, target.id);
      if (targets.has(key)) throw new Error(`Duplicate target ${key} on the local event bus`);
      targets.set(key, { rule: rule.name, target });
    }
    // Validates the pattern now: a malformed rule fails the start, as PutRule would fail.
    return {
      name: rule.name,
      targetIds: rule.targets.map((target) => target.id),
      matches: compilePattern(rule.pattern),
    };
  });
  return { targets, rules: compiled };
};

/** Starts the bus; resolves once it listens and the journal's unfinished deliveries are scheduled. */
export const startLocalEventBus = async (options: LocalEventBusOptions): Promise<LocalEventBus> => {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const busName = options.busName;
  const busArn = `arn:aws:events:${region}:${accountId}:event-bus/${busName}`;
  const log = options.log ?? ((line: string) => console.log(line));
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
  const { targets, rules } = compileRules(options.rules);

  const dir = options.dataDir === null ? null : resolve(options.dataDir, 'eventbridge');
  if (dir !== null) mkdirSync(dir, { recursive: true });
  const journal = new EventJournal(dir);
  const deliveries = new Deliveries(journal, targets, options.retryDelayScale ?? 1, log);
  // Recovery: deliveries journalled earlier and not checkpointed.
  const recovered = dir === null ? [] : await deliveries.recover();

  let refusing = false;
  const putEvents = async (body: unknown): Promise<{ FailedEntryCount: number; Entries: EntryResult[] }> => {
    if (refusing) {
      throw new AwsError(
        'AccessDeniedException',
        `The local event bus ${busName} refuses PutEvents: its fault switch is on.`,
      );
    }
    const { results, accepted } = readPutEvents(body, { busName, busArn, region, accountId, rules });
    if (deliveries.isClosed)
      throw new AwsError('InternalException', 'The local event bus is shutting down.', 503);
    await deliveries.accept(accepted);
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  };

  const server = createEventBusServer(putEvents, log);
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);

  for (const { record, pending } of recovered) deliveries.schedule(record, pending);
  recovered.length = 0;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), closeGraceMs);
      await stopped;
      clearTimeout(force);
      // From here nothing is checkpointed: unfinished deliveries stay owed in the journal.
      await deliveries.close(closeGraceMs);
      await journal.close();
    })();
    return closing;
  };

  const endpointHost = host === '0.0.0.0' ? '127.0.0.1' : urlHost(host);
  return {
    endpoint: `http://${endpointHost}:${port}`,
    port,
    busArn,
    flush: () => deliveries.flush(),
    refusePutEvents: (on) => {
      refusing = on;
      log(`[eventbridge] ${on ? 'refusing' : 'accepting'} PutEvents (fault switch)`);
    },
    close,
  };
};
