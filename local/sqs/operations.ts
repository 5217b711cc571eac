/** The SQS operations the local queue answers, by the name the X-Amz-Target header carries. */
import type { Json } from './parameters.js';
import { getQueueAttributes, getQueueUrl, listQueues, purgeQueue } from './queue-operations.js';
import type { QueueState } from './queue-state.js';
import {
  changeMessageVisibility,
  changeMessageVisibilityBatch,
  deleteMessage,
  deleteMessageBatch,
} from './receipt-operations.js';
import { receiveMessage } from './receive-message.js';
import { sendMessage, sendMessageBatch } from './send-operations.js';

export type Operation = (state: QueueState, input: Json) => Promise<Json> | Json;

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  GetQueueUrl: getQueueUrl,
  ListQueues: listQueues,
  GetQueueAttributes: getQueueAttributes,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  ReceiveMessage: receiveMessage,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  PurgeQueue: purgeQueue,
};
