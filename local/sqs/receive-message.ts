/** ReceiveMessage, with long polling. */
import { setTimeout as sleep } from 'node:timers/promises';
import { md5OfMessageAttributes } from './checksums.js';
import { LONG_POLL_RECHECK_MS, MAX_VISIBILITY_SECONDS, MAX_WAIT_SECONDS } from './config.js';
import { errors } from './errors.js';
import { receiptOf, type StoredMessage, systemAttributesOf } from './message.js';
import { selectAttributes } from './message-attributes.js';
import { type Json, optionalInteger, requiredString, stringList } from './parameters.js';
import type { QueueState } from './queue-state.js';

const SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
] as const;

/** Long polling: answers as soon as something is visible, or empty at the deadline / close. */
const longPoll = async (
  state: QueueState,
  receive: () => StoredMessage[],
  waitSeconds: number,
): Promise<StoredMessage[]> => {
  let messages: StoredMessage[] = [];
  const deadline = Date.now() + waitSeconds * 1000;
  let cancelled = false;
  const cancel = () => {
    cancelled = true;
  };
  state.longPolls.add(cancel);
  try {
    while (!cancelled && !state.closing && Date.now() < deadline && messages.length === 0) {
      await sleep(Math.min(LONG_POLL_RECHECK_MS, Math.max(0, deadline - Date.now())));
      if (!cancelled && !state.closing) messages = receive();
    }
  } finally {
    state.longPolls.delete(cancel);
  }
  return messages;
};

export const receiveMessage = async (state: QueueState, input: Json): Promise<Json> => {
  const queue = state.queueFromUrl(requiredString(input, 'QueueUrl'));
  const max = optionalInteger(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
  const visibility =
    optionalInteger(input, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS) ??
    queue.config.visibilityTimeoutSeconds;
  const waitSeconds = optionalInteger(input, 'WaitTimeSeconds', 0, MAX_WAIT_SECONDS) ?? 0;
  const systemNames = [
    ...stringList(input, 'AttributeNames'),
    ...stringList(input, 'MessageSystemAttributeNames'),
  ];
  for (const name of systemNames) {
    if (name !== 'All' && !(SYSTEM_ATTRIBUTES as readonly string[]).includes(name)) {
      throw errors.invalidAttributeName(name);
    }
  }
  const attributeNames = stringList(input, 'MessageAttributeNames');

  const receive = () => state.receive(queue, max, visibility);
  let messages = receive();
  if (messages.length === 0 && waitSeconds > 0) messages = await longPoll(state, receive, waitSeconds);
  if (messages.length === 0) return {};
  return {
    Messages: messages.map((message) => {
      const system = systemAttributesOf(message);
      const wanted = systemNames.includes('All')
        ? system
        : Object.fromEntries(Object.entries(system).filter(([name]) => systemNames.includes(name)));
      const attributes = selectAttributes(message.attributes, attributeNames);
      const hasAttributes = Object.keys(attributes).length > 0;
      return {
        MessageId: message.id,
        ReceiptHandle: receiptOf(queue.config.name, message),
        MD5OfBody: message.md5OfBody,
        Body: message.body,
        ...(Object.keys(wanted).length > 0 ? { Attributes: wanted } : {}),
        ...(hasAttributes
          ? { MD5OfMessageAttributes: md5OfMessageAttributes(attributes), MessageAttributes: attributes }
          : {}),
      };
    }),
  };
};
