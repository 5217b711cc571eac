/**
 * The whole product on one machine: DynamoDB Local with its stream, the stream poller feeding
 * the publisher, a local EventBridge bus with the notifier rule, a local SQS delivery queue
 * feeding the deliverer, a replay queue feeding the replay worker, and the HTTP API. Every handler is the one deployed to Lambda, and
 * every setting comes from the same definitions the CDK stack reads.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SECRET_KEY_ENV } from '../functions/crypto/secret-box-from-env.js';
import { CATALOGUE_2024 } from '../functions/domain/catalogue-2024.js';
import type { Project } from '../functions/domain/project.js';
import { deliveryLeaseSeconds, EVENT_ENV, STREAM_SOURCE } from '../functions/events/plumbing.js';
import { handler as deliverer } from '../functions/handlers/deliverer.js';
import { handler as notifier } from '../functions/handlers/notifier.js';
import { handler as replayWorker } from '../functions/handlers/replay-worker.js';
import { handler as publisher } from '../functions/handlers/stream-publisher.js';
import { type WatchdogSummary, handler as watchdog } from '../functions/handlers/watchdog.js';
import { jsonResponse } from '../functions/http/responses.js';
import { writeMetricsTo } from '../functions/observability/invocation-metrics.js';
import { createDocumentClient, useDefaultClientConfig } from '../functions/storage/client.js';
import { ProjectRepository } from '../functions/storage/project-repository.js';
import { TABLE_NAME_ENV } from '../functions/storage/table-definition.js';
import { STAGES } from '../lib/stage-config.js';
import { busFaultRoutes } from './bus-fault-route.js';
import { DELIVERY_QUEUE_NAME, deliveryQueueConfigs, deliveryVisibilitySeconds } from './delivery-queues.js';
import { LOCAL_CLIENT_CONFIG } from './dynamodb-client.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { type LocalEventBus, startLocalEventBus } from './eventbridge/index.js';
import { loadLocalAuth } from './local-auth.js';
import { localMetricsOutput } from './metrics-output.js';
import { notifierRule } from './notifier-rule.js';
import { secretsKeyFile } from './paths.js';
import { removeRuntimeEndpoints, writeRuntimeEndpoints } from './runtime-endpoints.js';
import { createLocalServer, type LocalServer } from './server.js';
import { settleRoute } from './settle-route.js';
import { readOrCreateFile } from './shared/create-once.js';
import { type LocalQueues, startLocalQueues } from './sqs/index.js';
import {
  DEFAULT_MAX_RETRY_BACKOFF_MS,
  DEFAULT_RETRY_BACKOFF_MS,
  type StreamPoller,
  startStreamPoller,
} from './streams/index.js';
import { ensureTable, localDynamoEnv } from './table.js';
import { startWatchdogTimer, WATCHDOG_ROUTE, type WatchdogTimer } from './watchdog-timer.js';
import {
  REPLAY_QUEUE_NAME,
  replayQueueConfigs,
  STREAM_FAILURE_QUEUE_NAME,
  streamFailureQueueConfig,
} from './work-queues.js';

export const DEFAULT_TABLE_NAME = 'livelihood-tracker-local';
export const LOCAL_BUS_NAME = 'livelihood-tracker-local';

export interface LocalRuntimeOptions {
  dataDir: string;
  port: number;
  host: string;
  tableName: string;
  dynamoPort?: number | undefined;
  /**
   * Multiplies the webhook retry delays, the bus's retry delays and the stream poller's waits
   * between retries of a failing batch: 1 keeps AWS's timing (webhook retries over about a day);
   * tests use a small fraction.
   */
  timeScale: number;
  /**
   * When the watchdog runs by itself: undefined, daily at WATCHDOG_SCHEDULE (09:00 in China) as
   * in AWS; N, every N seconds; 0, never (only by hand: POST /_local/watchdog, `npm run watchdog`).
   */
  watchdogIntervalSeconds?: number | undefined;
  quiet?: boolean;
  log?: (line: string) => void;
}

export interface LocalRuntime {
  url: string;
  dynamoEndpoint: string;
  tableName: string;
  seeded: string[];
  tableCreated: boolean;
  projects: Project[];
  /** Runs the watchdog now (after a run already under way), as the schedule would. */
  runWatchdog(): Promise<WatchdogSummary>;
  /** When the watchdog runs by itself next; null when its timer is off. */
  nextWatchdogRun(): Date | null;
  /**
   * Resolves when every event written so far (a watchdog run under way included) has been
   * published, fanned out and attempted.
   */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export const startLocalRuntime = async (options: LocalRuntimeOptions): Promise<LocalRuntime> => {
  const log = options.log ?? ((line: string) => console.log(line));
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step();
  };

  try {
    const previousMetricsOutput = writeMetricsTo(localMetricsOutput(process.env, log));
    stops.push(async () => {
      writeMetricsTo(previousMetricsOutput);
    });
    const dynamo: DynamoDbLocal = await startDynamoDbLocal({
      port: options.dynamoPort,
      dataDir: join(options.dataDir, 'dynamodb'),
    });
    stops.push(() => dynamo.stop());
    // Before any handler runs: handlers build their clients from the standard AWS environment.
    Object.assign(process.env, localDynamoEnv(dynamo.endpoint), {
      [TABLE_NAME_ENV]: options.tableName,
      [EVENT_ENV.allowLocalWebhooks]: String(STAGES.local.allowLocalWebhooks),
      [EVENT_ENV.allowedWebhookPorts]: STAGES.local.allowedWebhookPorts.join(','),
      [EVENT_ENV.maxSubscriptionsPerOffice]: String(STAGES.local.maxSubscriptionsPerOffice),
      [EVENT_ENV.retryDelayScale]: String(options.timeScale),
    });

    // Sealing and opening webhook secrets: the key file plays KMS's part, made on first start.
    const keyFile = secretsKeyFile(options.dataDir);
    await readOrCreateFile(keyFile, async () => randomBytes(32));
    process.env[SECRET_KEY_ENV.keyFile] = keyFile;

    // Every handler's client too: they all run in this process, a burst of them at once.
    useDefaultClientConfig(LOCAL_CLIENT_CONFIG);
    const client = new DynamoDBClient(LOCAL_CLIENT_CONFIG);
    const tableCreated = await ensureTable(client, options.tableName);
    const now = new Date().toISOString();
    const projects: Project[] = CATALOGUE_2024.map((entry) => ({ ...entry, version: 1, updatedAt: now }));
    const seeded = await new ProjectRepository({
      db: createDocumentClient(client),
      tableName: options.tableName,
    }).seed(projects);

    // Scaled like the retry delays, but never below the time one delivery attempt may take.
    // The replay worker judges a delivery lost by the queue's timing as it is here.
    process.env[EVENT_ENV.deliveryLeaseSeconds] = String(
      deliveryLeaseSeconds(deliveryVisibilitySeconds(options.timeScale)),
    );
    const queues: LocalQueues = await startLocalQueues({
      dataDir: options.dataDir,
      queues: [
        ...deliveryQueueConfigs(options.timeScale, (event) => deliverer(event)),
        ...replayQueueConfigs((event) => replayWorker(event)),
        streamFailureQueueConfig(),
      ],
      log: (line) => log(`  [queue] ${line}`),
    });
    stops.push(() => queues.close());
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SQS: queues.endpoint,
      [EVENT_ENV.deliveryQueueUrl]: queues.queueUrl(DELIVERY_QUEUE_NAME),
      [EVENT_ENV.streamFailureQueueUrl]: queues.queueUrl(STREAM_FAILURE_QUEUE_NAME),
      [EVENT_ENV.replayQueueUrl]: queues.queueUrl(REPLAY_QUEUE_NAME),
    });

    const bus: LocalEventBus = await startLocalEventBus({
      dataDir: options.dataDir,
      busName: LOCAL_BUS_NAME,
      retryDelayScale: options.timeScale,
      rules: [notifierRule(notifier)],
      log: (line) => log(`  [events] ${line}`),
    });
    stops.push(() => bus.close());
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint,
      [EVENT_ENV.busName]: LOCAL_BUS_NAME,
    });

    const poller: StreamPoller = await startStreamPoller({
      client,
      tableName: options.tableName,
      dataDir: options.dataDir,
      handler: (event) => publisher(event),
      settings: STREAM_SOURCE,
      // STREAM_SOURCE retries without limit: the time scale shortens the waits, not their number.
      retryBackoffMs: Math.max(1, DEFAULT_RETRY_BACKOFF_MS * options.timeScale),
      maxRetryBackoffMs: Math.max(1, DEFAULT_MAX_RETRY_BACKOFF_MS * options.timeScale),
      log: (line) => log(`  [stream] ${line}`),
    });
    stops.push(() => poller.stop());

    // The watchdog, one run at a time: by its timer (the schedule) or by hand.
    let watchdogRuns: Promise<unknown> = Promise.resolve();
    const runWatchdog = (source: string): Promise<WatchdogSummary> => {
      const run = watchdogRuns.then(() => watchdog({ source, scheduledTime: new Date().toISOString() }));
      watchdogRuns = run.catch(() => undefined);
      return run;
    };
    const timer: WatchdogTimer = startWatchdogTimer({
      intervalSeconds: options.watchdogIntervalSeconds,
      run: async () => {
        const summary = await runWatchdog('local-timer');
        log(
          `  [watchdog] checked ${summary.projectsChecked} projects, wrote ${summary.noticesWritten} notices`,
        );
      },
      log: (line) => log(`  [watchdog] ${line}`),
    });
    stops.push(async () => {
      await timer.stop();
      await watchdogRuns;
    });

    const settle = async () => {
      await watchdogRuns;
      await poller.drain();
      await bus.flush();
      await queues.drain(REPLAY_QUEUE_NAME);
      await queues.drain(DELIVERY_QUEUE_NAME);
    };

    const auth = await loadLocalAuth(options.dataDir);
    const server: LocalServer = await createLocalServer({
      stage: STAGES.local,
      verify: auth.verifyToken,
      port: options.port,
      host: options.host,
      ...(options.quiet ? { quiet: true } : {}),
      localRoutes: [
        {
          method: 'POST',
          path: WATCHDOG_ROUTE,
          handle: async () => jsonResponse(200, await runWatchdog('local-admin')),
        },
        settleRoute(settle),
        ...busFaultRoutes(bus),
      ],
    });
    stops.push(() => server.close());

    writeRuntimeEndpoints(options.dataDir, {
      tableName: options.tableName,
      dynamoEndpoint: dynamo.endpoint,
      busName: LOCAL_BUS_NAME,
      busEndpoint: bus.endpoint,
    });
    stops.push(async () => removeRuntimeEndpoints(options.dataDir));

    return {
      url: server.url,
      dynamoEndpoint: dynamo.endpoint,
      tableName: options.tableName,
      seeded,
      tableCreated,
      projects,
      runWatchdog: () => runWatchdog('local-runtime'),
      nextWatchdogRun: () => timer.nextRun(),
      settle,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
};
