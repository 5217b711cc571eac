/**
 * `npm run republish -- --from <ISO> --to <ISO> [--table <name> --bus <name>] [--dry-run]`:
 * puts the events of a window back on the bus, derived from the table with their original ids
 * (see functions/services/republish.ts). Without --table/--bus it targets the running local
 * runtime, found through the endpoints it stores in its data dir; with them, a deployed stage
 * through the default AWS credential chain and region (AWS_PROFILE, AWS_REGION).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ALL_DETAIL_TYPES } from '../functions/events/catalogue.js';
import { countByDetailType, type RepublishResult, republish } from '../functions/services/republish.js';
import { createDocumentClient } from '../functions/storage/client.js';
import { EventRepository } from '../functions/storage/event-repository.js';
import { EventSourceRepository } from '../functions/storage/event-source-repository.js';
import { dataDirFromEnv } from './paths.js';
import { parseRepublishArgs, REPUBLISH_USAGE, type RepublishArgs, UsageError } from './republish-args.js';
import { RUNTIME_ENDPOINTS_FILE, readRuntimeEndpoints } from './runtime-endpoints.js';
import { LOCAL_CREDENTIAL, LOCAL_REGION } from './table.js';

interface Target {
  tableName: string;
  busName: string;
  dynamo: DynamoDBClient;
  bus: EventBridgeClient;
  /** Said when the target does not answer. */
  unreachable: string;
}

const targetOf = (args: RepublishArgs): Target => {
  if (args.target.kind === 'stage') {
    return {
      tableName: args.target.table,
      busName: args.target.bus,
      dynamo: new DynamoDBClient({}),
      bus: new EventBridgeClient({}),
      unreachable: 'Check AWS_PROFILE/AWS_REGION and the table and bus names.',
    };
  }
  const dataDir = dataDirFromEnv();
  const endpoints = readRuntimeEndpoints(dataDir);
  if (endpoints === null) {
    throw new UsageError(
      `No local runtime has its endpoints in ${dataDir}/${RUNTIME_ENDPOINTS_FILE}. Start it with \`npm start\` ` +
        '(same TRACKER_DATA_DIR), or name a deployed stage with --table and --bus.',
    );
  }
  const local = {
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_CREDENTIAL, secretAccessKey: LOCAL_CREDENTIAL },
  };
  return {
    tableName: endpoints.tableName,
    busName: endpoints.busName,
    dynamo: new DynamoDBClient({ ...local, endpoint: endpoints.dynamoEndpoint }),
    bus: new EventBridgeClient({ ...local, endpoint: endpoints.busEndpoint }),
    unreachable: `Is the local runtime still running? Start it with \`npm start\` (it listened on ${endpoints.dynamoEndpoint} and ${endpoints.busEndpoint}).`,
  };
};

const report = (args: RepublishArgs, target: Target, result: RepublishResult): string[] => {
  const counted = args.dryRun ? result.found : result.published;
  const counts = countByDetailType(counted);
  const width = Math.max(...ALL_DETAIL_TYPES.map((type) => type.length));
  return [
    `${args.dryRun ? 'Dry run: would republish' : 'Republished'} ${args.from.toISOString()} … ${args.to.toISOString()} ` +
      `from table ${target.tableName} to bus ${target.busName}`,
    ...ALL_DETAIL_TYPES.map((type) => `  ${type.padEnd(width)}  ${counts[type]}`),
    `  ${'total'.padEnd(width)}  ${counted.length} of ${result.found.length} found`,
  ];
};

const main = async (): Promise<number> => {
  let args: RepublishArgs;
  let target: Target;
  try {
    args = parseRepublishArgs(process.argv.slice(2));
    target = targetOf(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${REPUBLISH_USAGE}`);
    return 2;
  }
  const db = createDocumentClient(target.dynamo);
  let result: RepublishResult;
  try {
    result = await republish(
      {
        sources: new EventSourceRepository({ db, tableName: target.tableName }),
        events: new EventRepository({ db, tableName: target.tableName }),
        bus: target.bus,
        busName: target.busName,
      },
      { from: args.from, to: args.to },
      { dryRun: args.dryRun },
    );
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.error(`Nothing was republished: ${reason}\n${target.unreachable}`);
    return 1;
  } finally {
    target.dynamo.destroy();
    target.bus.destroy();
  }
  console.log(report(args, target, result).join('\n'));
  if (result.failed.length === 0) return 0;
  console.error(`${result.failed.length} events could not be published (run again for the same window):`);
  for (const { event, reason } of result.failed) {
    console.error(`  ${event.detail.eventId}  ${event.detailType}  ${reason}`);
  }
  return 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
