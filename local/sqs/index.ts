export { md5OfMessageAttributes } from './checksums.js';
export type { LocalQueueConfig, LocalQueuesOptions, QueueConsumer } from './config.js';
export { MAX_MESSAGE_BYTES } from './config.js';
export { type LocalQueues, startLocalQueues } from './local-queues.js';
export type { MessageAttributeValue, PeekedMessage, PeekedState } from './message.js';
