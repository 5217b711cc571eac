import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { floorKey, floorName, sdkClientsOf, sdkFloorSource } from '../../../bench/sdk-floor.js';

/** A metafile whose one bundle holds `inputs` (path → bytes in the output), beside its source map. */
const metafileWith = (inputs: Record<string, number>): Metafile => ({
  inputs: {},
  outputs: {
    'out/index.mjs.map': { bytes: 10, inputs: {}, imports: [], exports: [] },
    'out/index.mjs': {
      bytes: 100,
      inputs: Object.fromEntries(
        Object.entries(inputs).map(([path, bytesInOutput]) => [path, { bytesInOutput }]),
      ),
      imports: [],
      exports: [],
    },
  },
});

const SQS = { packageName: '@aws-sdk/client-sqs', className: 'SQSClient' };
const DYNAMODB = { packageName: '@aws-sdk/client-dynamodb', className: 'DynamoDBClient' };

describe('sdkClientsOf', () => {
  it("finds each client package by its class's module, wherever node_modules is", () => {
    const metafile = metafileWith({
      '../../main/node_modules/@aws-sdk/client-sqs/dist-es/SQSClient.js': 900,
      '../../main/node_modules/@aws-sdk/client-sqs/dist-es/commands/SendMessageCommand.js': 300,
      'node_modules/@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js': 800,
      'functions/handlers/notifier.ts': 500,
    });
    expect(sdkClientsOf(metafile)).toEqual([DYNAMODB, SQS]);
  });

  it("ignores the SDK's own nested clients, lib-dynamodb's document client and commands alone", () => {
    const metafile = metafileWith({
      'node_modules/@aws-sdk/nested-clients/dist-es/submodules/sts/STSClient.js': 700,
      'node_modules/@aws-sdk/token-providers/dist-es/getSsoOidcClient.js': 100,
      'node_modules/@aws-sdk/lib-dynamodb/dist-es/DynamoDBDocumentClient.js': 400,
      'node_modules/@aws-sdk/client-kms/dist-es/commands/DecryptCommand.js': 300,
    });
    expect(sdkClientsOf(metafile)).toEqual([]);
  });

  it('leaves out a client class esbuild dropped from the output', () => {
    const metafile = metafileWith({
      'node_modules/@aws-sdk/client-sqs/dist-es/SQSClient.js': 0,
      'node_modules/@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js': 800,
    });
    expect(sdkClientsOf(metafile)).toEqual([DYNAMODB]);
  });
});

describe('an SDK floor', () => {
  it('has one key per set of clients, whatever their order', () => {
    expect(floorKey([SQS, DYNAMODB])).toBe(floorKey([DYNAMODB, SQS]));
    expect(floorKey([DYNAMODB])).not.toBe(floorKey([DYNAMODB, SQS]));
  });

  it('is named after its clients', () => {
    expect(floorName([DYNAMODB, SQS])).toBe('SDK floor (DynamoDB + SQS)');
  });

  it('creates every client once, at load, and exports them so that none is tree-shaken', () => {
    expect(sdkFloorSource([DYNAMODB, SQS]).split('\n')).toEqual([
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { SQSClient } from '@aws-sdk/client-sqs';",
      'const clients = [new DynamoDBClient({}), new SQSClient({})];',
      'export const handler = async () => clients;',
      '',
    ]);
  });

  it('needs at least one client', () => {
    expect(() => sdkFloorSource([])).toThrow(/at least one client/);
  });
});
