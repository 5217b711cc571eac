import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  TooManyEntriesInBatchRequest,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type LocalQueueConfig,
  type LocalQueues,
  md5OfMessageAttributes,
  startLocalQueues,
} from '../../local/sqs/index.js';

const SCALE = 0.01;
const started: LocalQueues[] = [];
const clients: SQSClient[] = [];
const dirs: string[] = [];
const children: ChildProcess[] = [];
const logs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(started.splice(0).map((queues) => queues.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  logs.length = 0;
});

const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'local-queue-'));
  dirs.push(dir);
  return dir;
};

const start = async (queues: LocalQueueConfig[], dataDir: string | null = null) => {
  const local = await startLocalQueues({ dataDir, queues, log: (line) => logs.push(line) });
  started.push(local);
  const client = new SQSClient({
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  clients.push(client);
  return { local, client };
};

const plain = (name: string, extra: Partial<LocalQueueConfig> = {}): LocalQueueConfig => ({
  name,
  visibilityTimeoutSeconds: 60,
  batchSize: 10,
  timeScale: SCALE,
  ...extra,
});

describe('local queue over the SQS JSON protocol', () => {
  it('sends, receives and deletes a message with its attributes and checksums', async () => {
    const { local, client } = await start([plain('jobs')]);
    const QueueUrl = (await client.send(new GetQueueUrlCommand({ QueueName: 'jobs' }))).QueueUrl;
    expect(QueueUrl).toBe(local.queueUrl('jobs'));

    const MessageAttributes = {
      kind: { DataType: 'String', StringValue: '里程碑' },
      attempt: { DataType: 'Number', StringValue: '3' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 250]) },
    };
    const sent = await client.send(
      new SendMessageCommand({ QueueUrl, MessageBody: '{"hello":"长三角"}', MessageAttributes }),
    );
    expect(sent.MessageId).toBeTruthy();
    const expectedAttributesMd5 = md5OfMessageAttributes({
      kind: { DataType: 'String', StringValue: '里程碑' },
      attempt: { DataType: 'Number', StringValue: '3' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 250]).toString('base64') },
    });
    expect(sent.MD5OfMessageAttributes).toBe(expectedAttributesMd5);

    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const message = received.Messages?.[0];
    expect(received.Messages).toHaveLength(1);
    expect(message?.Body).toBe('{"hello":"长三角"}');
    expect(message?.MessageId).toBe(sent.MessageId);
    expect(message?.MD5OfMessageAttributes).toBe(expectedAttributesMd5);
    expect(message?.MessageAttributes?.kind?.StringValue).toBe('里程碑');
    expect(message?.MessageAttributes?.attempt).toMatchObject({ DataType: 'Number', StringValue: '3' });
    expect([...(message?.MessageAttributes?.blob?.BinaryValue ?? [])]).toEqual([0, 1, 2, 250]);
    expect(message?.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: '000000000000' });

    // In flight: not received again, counted as not visible.
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    const attributes = await client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );
    expect(attributes.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:jobs',
      VisibilityTimeout: '60',
    });

    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));
    expect(local.peek('jobs')).toEqual([]);
  });

  it('computes MD5OfMessageAttributes with the digest SQS gives for a known attribute', () => {
    // The digest AWS returns for this attribute, as pinned by moto's and LocalStack's SQS tests.
    expect(md5OfMessageAttributes({ timestamp: { DataType: 'Number', StringValue: '1493147359900' } })).toBe(
      '235c5c510d26fb653d073faed50ae77c',
    );
  });

  it('answers with the error types the SDK models', async () => {
    const { local, client } = await start([plain('jobs')]);
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'missing' }))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
    await expect(
      client.send(
        new SendMessageCommand({ QueueUrl: `${local.endpoint}/000000000000/missing`, MessageBody: 'x' }),
      ),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    await expect(
      client.send(new DeleteMessageCommand({ QueueUrl: local.queueUrl('jobs'), ReceiptHandle: 'garbage!' })),
    ).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
    await expect(
      client.send(
        new SendMessageCommand({ QueueUrl: local.queueUrl('jobs'), MessageBody: 'x', DelaySeconds: 901 }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('refuses a request body over 2 MiB without keeping it, and stays usable', async () => {
    const { local, client } = await start([plain('jobs')]);
    const response = await fetch(local.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
      body: JSON.stringify({ QueueUrl: local.queueUrl('jobs'), MessageBody: 'x'.repeat(2 * 1_048_576) }),
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender');
    expect(await response.json()).toEqual({
      __type: 'com.amazonaws.sqs#InvalidParameterValue',
      message: 'Request must be shorter than 2097152 bytes.',
    });
    expect(local.peek('jobs')).toEqual([]);
    await client.send(new SendMessageCommand({ QueueUrl: local.queueUrl('jobs'), MessageBody: 'after' }));
    expect(local.peek('jobs').map((message) => message.body)).toEqual(['after']);
  });

  it('sends a batch with per-entry failures and refuses malformed batches', async () => {
    const { local, client } = await start([plain('jobs')]);
    const QueueUrl = local.queueUrl('jobs');
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'first' },
          { Id: 'b', MessageBody: 'too late', DelaySeconds: 1_000 },
          { Id: 'c', MessageBody: 'third', DelaySeconds: 30 },
        ],
      }),
    );
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['a', 'c']);
    expect(result.Failed).toEqual([
      expect.objectContaining({ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
    expect(local.peek('jobs').map((message) => [message.body, message.state])).toEqual([
      ['first', 'visible'],
      ['third', 'delayed'],
    ]);

    await expect(
      client.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: Array.from({ length: 11 }, (_, index) => ({ Id: `m${index}`, MessageBody: 'x' })),
        }),
      ),
    ).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
    await expect(
      client.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'same', MessageBody: 'x' },
            { Id: 'same', MessageBody: 'y' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinct' });

    // The delayed message shows up after its (scaled) 30 s delay; deleting both in one batch.
    await vi.waitFor(
      () => expect(local.peek('jobs').every((message) => message.state === 'visible')).toBe(true),
      { timeout: 10_000 },
    );
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    const deleted = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: (received.Messages ?? []).map((message, index) => ({
          Id: `d${index}`,
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
    expect(deleted.Successful).toHaveLength(2);
    expect(local.peek('jobs')).toEqual([]);
  });

  it('hands the consumer Lambda-shaped SQSEvent batches of at most batchSize and deletes what it handled', async () => {
    const events: SQSEvent[] = [];
    const { local, client } = await start([
      plain('jobs', {
        batchSize: 3,
        consumer: async (event) => {
          events.push(event);
        },
      }),
    ]);
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: local.queueUrl('jobs'),
        Entries: Array.from({ length: 7 }, (_, index) => ({
          Id: `m${index}`,
          MessageBody: `body ${index}`,
          MessageAttributes: { n: { DataType: 'Number', StringValue: String(index) } },
        })),
      }),
    );
    await local.drain();

    const records = events.flatMap((event) => event.Records);
    expect(events.every((event) => event.Records.length >= 1 && event.Records.length <= 3)).toBe(true);
    expect(records.map((record) => record.body).sort()).toEqual(
      Array.from({ length: 7 }, (_, index) => `body ${index}`),
    );
    const record = records[0] as SQSRecord;
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:jobs',
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1', SenderId: '000000000000' },
      messageAttributes: { n: { dataType: 'Number', stringListValues: [], binaryListValues: [] } },
    });
    expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
    expect(Number(record.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThan(0);
    expect(record.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    expect(record.receiptHandle).toBeTruthy();
    expect(local.peek('jobs')).toEqual([]);
  });

  it('runs up to maxConcurrency consumer invocations at once', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const handled: string[] = [];
    // Each invocation holds until three run at once: the queue must start three without waiting
    // for any to finish (with fewer workers the gate never opens and drain never resolves).
    let openGate = () => {};
    const allThreeRunning = new Promise<void>((open) => {
      openGate = open;
    });
    const { local, client } = await start([
      plain('jobs', {
        batchSize: 1,
        maxConcurrency: 3,
        consumer: async (event) => {
          running++;
          mostAtOnce = Math.max(mostAtOnce, running);
          if (running === 3) openGate();
          await allThreeRunning;
          handled.push(...event.Records.map((record) => record.body));
          running--;
        },
      }),
    ]);
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: local.queueUrl('jobs'),
        Entries: ['a', 'b', 'c', 'd', 'e', 'f'].map((body) => ({ Id: body, MessageBody: body })),
      }),
    );
    await local.drain();

    expect(mostAtOnce).toBe(3);
    expect(handled.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(local.peek('jobs')).toEqual([]);
  });

  it('redelivers only the failed message of a partial batch, after the scaled visibility timeout', async () => {
    const deliveries: { body: string; at: number; count: string }[] = [];
    const { local, client } = await start([
      plain('jobs', {
        visibilityTimeoutSeconds: 50, // 500 ms at this scale
        consumer: async (event) => {
          for (const record of event.Records) {
            deliveries.push({
              body: record.body,
              at: Date.now(),
              count: record.attributes.ApproximateReceiveCount,
            });
          }
          const failing = event.Records.filter(
            (record) => record.body === 'b' && record.attributes.ApproximateReceiveCount === '1',
          );
          return { batchItemFailures: failing.map((record) => ({ itemIdentifier: record.messageId })) };
        },
      }),
    ]);
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: local.queueUrl('jobs'),
        Entries: ['a', 'b', 'c'].map((body) => ({ Id: body, MessageBody: body })),
      }),
    );
    await local.drain();

    expect(deliveries.map(({ body, count }) => `${body}#${count}`).sort()).toEqual([
      'a#1',
      'b#1',
      'b#2',
      'c#1',
    ]);
    const first = deliveries.find((delivery) => delivery.body === 'b' && delivery.count === '1');
    const second = deliveries.find((delivery) => delivery.body === 'b' && delivery.count === '2');
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(450);
  });

  it('lets the consumer set the retry delay with ChangeMessageVisibility', async () => {
    const attempts: number[] = [];
    const visibility: { firstReceivedAt: number; before: number; after: number; from: number; to: number }[] =
      [];
    let client: SQSClient | undefined;
    let local: LocalQueues | undefined;
    let queueUrl = '';
    const visibleAt = () => local?.peek('jobs')[0]?.visibleAt ?? Number.NaN;
    const opened = await start([
      plain('jobs', {
        visibilityTimeoutSeconds: 1_000, // 10 s at this scale: far longer than the test waits
        consumer: async (event) => {
          const failures = [];
          for (const record of event.Records) {
            attempts.push(Date.now());
            if (record.attributes.ApproximateReceiveCount === '1') {
              const before = visibleAt();
              const from = Date.now();
              await client?.send(
                new ChangeMessageVisibilityCommand({
                  QueueUrl: queueUrl,
                  ReceiptHandle: record.receiptHandle,
                  VisibilityTimeout: 30, // 300 ms
                }),
              );
              const to = Date.now();
              const firstReceivedAt = Number(record.attributes.ApproximateFirstReceiveTimestamp);
              visibility.push({ firstReceivedAt, before, after: visibleAt(), from, to });
              failures.push({ itemIdentifier: record.messageId });
            }
          }
          return { batchItemFailures: failures };
        },
      }),
    ]);
    local = opened.local;
    client = opened.client;
    queueUrl = local.queueUrl('jobs');
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'retry me' }));
    await local.drain('jobs');

    expect(attempts).toHaveLength(2);
    const gap = (attempts[1] ?? 0) - (attempts[0] ?? 0);
    console.info(`ChangeMessageVisibility: redelivered ${gap} ms after the first attempt`);
    expect(gap).toBeGreaterThanOrEqual(250);
    // The receive made it invisible for the queue's 10 s; the change replaced that with 300 ms from
    // the moment it was handled, which is what let the message come back.
    expect(visibility).toHaveLength(1);
    const [change] = visibility;
    expect(change?.before).toBe((change?.firstReceivedAt ?? 0) + 1_000 * 1000 * SCALE);
    expect(change?.after).toBeGreaterThanOrEqual((change?.from ?? 0) + 30 * 1000 * SCALE);
    expect(change?.after).toBeLessThanOrEqual((change?.to ?? 0) + 30 * 1000 * SCALE);
  });

  it('moves a message that failed maxReceiveCount times to the dead-letter queue', async () => {
    let calls = 0;
    const { local, client } = await start([
      plain('jobs', {
        visibilityTimeoutSeconds: 10, // 100 ms
        maxReceiveCount: 3,
        deadLetterQueue: 'jobs-dlq',
        consumer: async () => {
          calls++;
          throw new Error('subscriber is down');
        },
      }),
      plain('jobs-dlq'),
    ]);
    await client.send(new SendMessageCommand({ QueueUrl: local.queueUrl('jobs'), MessageBody: 'poison' }));
    await local.drain('jobs');

    expect(calls).toBe(3);
    expect(local.peek('jobs-dlq')).toEqual([expect.objectContaining({ body: 'poison', state: 'visible' })]);
    const fromDlq = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: local.queueUrl('jobs-dlq'),
        MessageSystemAttributeNames: ['All'],
      }),
    );
    expect(fromDlq.Messages?.[0]?.Attributes?.DeadLetterQueueSourceArn).toBe(local.queueArn('jobs'));
    expect(logs.some((line) => line.includes('subscriber is down'))).toBe(true);
  });

  it('keeps pending messages across a clean restart on the same data directory', async () => {
    const dataDir = await tempDir();
    const first = await start([plain('jobs', { visibilityTimeoutSeconds: 30 })], dataDir);
    const QueueUrl = first.local.queueUrl('jobs');
    for (const body of ['one', 'two', 'three']) {
      await first.client.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    }
    const inFlight = await first.client.send(new ReceiveMessageCommand({ QueueUrl }));
    await first.local.close();

    const second = await start([plain('jobs', { visibilityTimeoutSeconds: 30 })], dataDir);
    expect(second.local.peek('jobs').map((message) => message.body)).toEqual(['one', 'two', 'three']);
    const states = second.local.peek('jobs').map((message) => message.state);
    expect(states.filter((state) => state === 'inFlight')).toHaveLength(1);
    // The message in flight before the restart comes back once its (scaled) 30 s are over.
    await vi.waitFor(
      () => expect(second.local.peek('jobs').every((message) => message.state === 'visible')).toBe(true),
      { timeout: 10_000 },
    );
    const again = await second.client.send(
      new ReceiveMessageCommand({
        QueueUrl: second.local.queueUrl('jobs'),
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    const redelivered = again.Messages?.find(
      (message) => message.MessageId === inFlight.Messages?.[0]?.MessageId,
    );
    expect(redelivered?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('reads a data directory written in the snapshot + journal format (state.json, journal-<n>.jsonl)', async () => {
    const dataDir = await tempDir();
    const message = (id: string, body: string) => ({
      id,
      body,
      md5OfBody: 'unused',
      attributes: {},
      md5OfAttributes: null,
      traceHeader: null,
      senderId: '000000000000',
      sentAt: Date.now(),
      visibleAt: 0,
      receiveCount: 0,
      firstReceivedAt: null,
      receipt: null,
      deadLetterSourceArn: null,
    });
    await mkdir(join(dataDir, 'queues'));
    await writeFile(
      join(dataDir, 'queues', 'state.json'),
      JSON.stringify({
        version: 1,
        generation: 7,
        queues: { jobs: [message('m1', 'one'), message('m2', 'two')] },
      }),
    );
    const journal = [
      { op: 'send', queue: 'jobs', message: message('m3', 'three') },
      { op: 'delete', queue: 'jobs', id: 'm1' },
    ].map((entry) => `${JSON.stringify(entry)}\n`);
    // A torn last line, as a kill mid-append leaves it: that change was never acknowledged.
    journal.push('{"op":"send","queue":"jobs","mess');
    await writeFile(join(dataDir, 'queues', 'journal-7.jsonl'), journal.join(''));

    const { local } = await start([plain('jobs')], dataDir);

    expect(local.peek('jobs').map((peeked) => [peeked.messageId, peeked.body, peeked.state])).toEqual([
      ['m2', 'two', 'visible'],
      ['m3', 'three', 'visible'],
    ]);
    // Opening compacts into the next generation.
    expect((await readdir(join(dataDir, 'queues'))).sort()).toEqual(['journal-8.jsonl', 'state.json']);
  });

  it('loses no acknowledged message when the process is killed', async () => {
    const dataDir = await tempDir();
    const script = join(dataDir, 'queue-process.mts');
    const queueModule = pathToFileURL(join(import.meta.dirname, '../../local/sqs/index.ts')).href;
    await writeFile(
      script,
      [
        `import { startLocalQueues } from ${JSON.stringify(queueModule)};`,
        `const local = await startLocalQueues({ dataDir: ${JSON.stringify(dataDir)}, log: () => {},`,
        `  queues: [{ name: 'jobs', visibilityTimeoutSeconds: 60, batchSize: 10 }] });`,
        `process.stdout.write(local.endpoint + '\\n');`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: join(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const endpoint = await new Promise<string>((done, reject) => {
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) done(stdout.trim());
      });
      child.once('exit', (code) => reject(new Error(`queue process exited with ${code}: ${stderr}`)));
    });
    const client = new SQSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    clients.push(client);
    const QueueUrl = `${endpoint}/000000000000/jobs`;
    for (let index = 0; index < 25; index++) {
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${index}` }));
    }
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2 }));
    await client.send(
      new DeleteMessageCommand({ QueueUrl, ReceiptHandle: received.Messages?.[0]?.ReceiptHandle }),
    );
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;

    const { local } = await start([plain('jobs')], dataDir);
    const messages = local.peek('jobs');
    expect(messages.map((message) => message.body)).toEqual(
      Array.from({ length: 24 }, (_, index) => `m${index + 1}`),
    );
    expect(messages[0]).toMatchObject({ body: 'm1', receiveCount: 1, state: 'inFlight' });
  });
});
