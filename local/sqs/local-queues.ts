/**
 * A durable local SQS: an HTTP server speaking the SQS JSON protocol the AWS SDK v3 uses, and per
 * queue an optional consumer driven like Lambda's SQS event source (batches, partial batch
 * responses, visibility timeouts, redrive to a dead-letter queue).
 *
 * State lives in memory and, unless `dataDir` is null, in `<dataDir>/queues/` (see journal.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_ACCOUNT_ID } from '../shared/aws-account.js';
import { errorText } from '../shared/error-text.js';
import { listen, urlHost } from '../shared/listen.js';
import { LOCAL_REGION } from '../table.js';
import { DRAIN_RECHECK_MS, type LocalQueuesOptions, validateConfigs } from './config.js';
import { runConsumerWorker } from './consumer.js';
import { createSqsServer } from './http-api.js';
import { type PeekedMessage, stateOf } from './message.js';
import { QueueState } from './queue-state.js';

export interface LocalQueues {
  /** `http://<host>:<port>`: the SQSClient `endpoint`. */
  endpoint: string;
  port: number;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /**
   * Resolves once the named queue (without a name: every queue with a consumer) holds nothing
   * visible, in flight or delayed and no consumer invocation is running.
   */
  drain(name?: string): Promise<void>;
  /** A snapshot of a queue's messages, for tests. */
  peek(name: string): PeekedMessage[];
  /** Stops the consumers (letting running invocations finish), the server and the journal. */
  close(): Promise<void>;
}

/** Starts the queues, their consumers and the HTTP endpoint. */
export const startLocalQueues = async (options: LocalQueuesOptions): Promise<LocalQueues> => {
  validateConfigs(options.queues);
  const host = options.host ?? '127.0.0.1';
  const state = new QueueState({
    dataDir: options.dataDir,
    configs: options.queues,
    region: options.region ?? LOCAL_REGION,
    accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
    log: options.log ?? ((line: string) => console.error(line)),
  });

  const server = createSqsServer(state);
  const port = await listen(server, options.port ?? 0, host);
  state.endpoint = `http://${urlHost(host)}:${port}`;

  const loops = [...state.queues.values()].flatMap((queue) => {
    const consumer = queue.config.consumer;
    if (!consumer) return [];
    return Array.from({ length: queue.config.maxConcurrency ?? 1 }, () =>
      runConsumerWorker(state, queue, consumer).catch((error: unknown) =>
        state.log(`${queue.config.name}: consumer worker stopped: ${errorText(error)}`),
      ),
    );
  });

  let closed: Promise<void> | null = null;
  return {
    endpoint: state.endpoint,
    port,
    queueUrl: (name) => state.urlOf(state.queueNamed(name).config.name),
    queueArn: (name) => state.arnOf(state.queueNamed(name).config.name),
    peek: (name) => {
      const queue = state.queueNamed(name);
      const now = Date.now();
      return [...queue.messages.values()].map((message) => ({
        messageId: message.id,
        body: message.body,
        messageAttributes: structuredClone(message.attributes),
        receiveCount: message.receiveCount,
        sentTimestamp: message.sentAt,
        visibleAt: message.visibleAt,
        state: stateOf(message, now),
      }));
    },
    drain: async (name) => {
      const targets =
        name === undefined
          ? [...state.queues.values()].filter((queue) => queue.config.consumer !== undefined)
          : [state.queueNamed(name)];
      for (;;) {
        const now = Date.now();
        const busy = targets.some((queue) => queue.activeWorkers > 0 || queue.messages.size > 0);
        if (!busy) return;
        if (state.closing) throw new Error('The local queues were closed before they drained');
        for (const queue of targets) state.dropExpired(queue, now);
        await sleep(DRAIN_RECHECK_MS);
      }
    },
    close: () => {
      closed ??= (async () => {
        state.closing = true;
        for (const cancel of state.longPolls) cancel();
        for (const queue of state.queues.values()) queue.sleepers.wakeAll();
        await Promise.all(loops);
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
        state.close();
      })();
      return closed;
    },
  };
};
