/** The operations on a queue as a whole: GetQueueUrl, ListQueues, GetQueueAttributes, PurgeQueue. */
import { DEFAULT_RETENTION_SECONDS, MAX_MESSAGE_BYTES } from './config.js';
import { errors } from './errors.js';
import { type Json, optionalString, requiredString, stringList } from './parameters.js';
import { counts, type QueueState } from './queue-state.js';

const QUEUE_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'DelaySeconds',
  'LastModifiedTimestamp',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'QueueArn',
  'ReceiveMessageWaitTimeSeconds',
  'RedrivePolicy',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
] as const;

export const getQueueUrl = (state: QueueState, input: Json): Json => {
  const name = requiredString(input, 'QueueName');
  const owner = optionalString(input, 'QueueOwnerAWSAccountId');
  if (owner !== undefined && owner !== state.accountId) throw errors.queueDoesNotExist();
  return { QueueUrl: state.urlOf(state.queueNamed(name).config.name) };
};

export const listQueues = (state: QueueState, input: Json): Json => {
  const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
  return {
    QueueUrls: [...state.queues.keys()]
      .filter((name) => name.startsWith(prefix))
      .map((name) => state.urlOf(name)),
  };
};

export const getQueueAttributes = (state: QueueState, input: Json): Json => {
  const queue = state.queueFromUrl(requiredString(input, 'QueueUrl'));
  const requested = stringList(input, 'AttributeNames');
  const names = requested.includes('All') ? [...QUEUE_ATTRIBUTES] : requested;
  const now = Date.now();
  state.dropExpired(queue, now);
  const { visible, inFlight, delayed } = counts(queue, now);
  const { config } = queue;
  const values: Record<string, string | undefined> = {
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: String(inFlight),
    ApproximateNumberOfMessagesDelayed: String(delayed),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    DelaySeconds: '0',
    LastModifiedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    MaximumMessageSize: String(MAX_MESSAGE_BYTES),
    MessageRetentionPeriod: String(config.messageRetentionSeconds ?? DEFAULT_RETENTION_SECONDS),
    QueueArn: state.arnOf(config.name),
    ReceiveMessageWaitTimeSeconds: '0',
    RedrivePolicy:
      config.deadLetterQueue !== undefined
        ? JSON.stringify({
            deadLetterTargetArn: state.arnOf(config.deadLetterQueue),
            maxReceiveCount: config.maxReceiveCount,
          })
        : undefined,
    SqsManagedSseEnabled: 'false',
    VisibilityTimeout: String(config.visibilityTimeoutSeconds),
  };
  const attributes: Record<string, string> = {};
  for (const name of names) {
    if (!(QUEUE_ATTRIBUTES as readonly string[]).includes(name)) throw errors.invalidAttributeName(name);
    const value = values[name];
    if (value !== undefined) attributes[name] = value;
  }
  return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
};

export const purgeQueue = (state: QueueState, input: Json): Json => {
  const queue = state.queueFromUrl(requiredString(input, 'QueueUrl'));
  state.commit({ op: 'purge', queue: queue.config.name });
  return {};
};
