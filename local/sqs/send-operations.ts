/** SendMessage and SendMessageBatch. */
import { md5OfMessageAttributes } from './checksums.js';
import { MAX_DELAY_SECONDS, MAX_MESSAGE_BYTES } from './config.js';
import { batchFailure, errors } from './errors.js';
import type { StoredMessage } from './message.js';
import { attributesSize, INVALID_CHARACTER, parseMessageAttributes } from './message-attributes.js';
import { entriesOf, type Json, optionalInteger, optionalString, requiredString } from './parameters.js';
import type { QueueState } from './queue-state.js';

const parseSend = (input: Json) => {
  const body = requiredString(input, 'MessageBody');
  if (body === '') throw errors.missingParameter('MessageBody');
  if (INVALID_CHARACTER.test(body)) throw errors.invalidMessageContents();
  if (optionalString(input, 'MessageDeduplicationId') !== undefined) {
    throw errors.invalidParameter(
      'The request includes a parameter that is not valid for this queue type: MessageDeduplicationId.',
    );
  }
  const delay = optionalInteger(input, 'DelaySeconds', 0, MAX_DELAY_SECONDS) ?? 0;
  const attributes = parseMessageAttributes(input.MessageAttributes);
  const system = input.MessageSystemAttributes as Json | undefined;
  const trace = (system?.AWSTraceHeader as Json | undefined)?.StringValue;
  const size = Buffer.byteLength(body) + attributesSize(attributes);
  if (size > MAX_MESSAGE_BYTES) {
    throw errors.invalidParameter(
      `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
    );
  }
  return { body, attributes, delay, trace: typeof trace === 'string' ? trace : null, size };
};

const sendResult = (message: StoredMessage) => ({
  MessageId: message.id,
  MD5OfMessageBody: message.md5OfBody,
  ...(message.md5OfAttributes !== null ? { MD5OfMessageAttributes: message.md5OfAttributes } : {}),
  ...(message.traceHeader !== null
    ? {
        MD5OfMessageSystemAttributes: md5OfMessageAttributes({
          AWSTraceHeader: { DataType: 'String', StringValue: message.traceHeader },
        }),
      }
    : {}),
});

export const sendMessage = (state: QueueState, input: Json): Json => {
  const queue = state.queueFromUrl(requiredString(input, 'QueueUrl'));
  const parsed = parseSend(input);
  return sendResult(state.send(queue, parsed.body, parsed.attributes, parsed.delay, parsed.trace));
};

export const sendMessageBatch = (state: QueueState, input: Json): Json => {
  const queue = state.queueFromUrl(requiredString(input, 'QueueUrl'));
  const entries = entriesOf(input);
  const Successful: Json[] = [];
  const Failed: Json[] = [];
  const parsed: { id: string; value: ReturnType<typeof parseSend> }[] = [];
  for (const entry of entries) {
    const id = entry.Id as string;
    try {
      parsed.push({ id, value: parseSend(entry) });
    } catch (error) {
      Failed.push(batchFailure(id, error));
    }
  }
  if (parsed.reduce((sum, { value }) => sum + value.size, 0) > MAX_MESSAGE_BYTES) throw errors.batchTooLong();
  for (const { id, value } of parsed) {
    Successful.push({
      Id: id,
      ...sendResult(state.send(queue, value.body, value.attributes, value.delay, value.trace)),
    });
  }
  return { Successful, Failed };
};
