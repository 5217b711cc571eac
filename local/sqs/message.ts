/** A message as the queue keeps it (in memory and in the journal), and what it shows of itself. */

/** A message attribute as the JSON protocol carries it (binary values in base64). */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface StoredMessage {
  id: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, MessageAttributeValue>;
  md5OfAttributes: string | null;
  traceHeader: string | null;
  senderId: string;
  sentAt: number;
  /** Epoch ms: later than now while delayed or in flight. */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number | null;
  /** The nonce of the latest receipt handle; null until first received. */
  receipt: string | null;
  deadLetterSourceArn: string | null;
}

export type PeekedState = 'visible' | 'inFlight' | 'delayed';

export interface PeekedMessage {
  messageId: string;
  body: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  receiveCount: number;
  sentTimestamp: number;
  /** When it becomes (or became) visible, epoch ms. */
  visibleAt: number;
  state: PeekedState;
}

export const stateOf = (message: StoredMessage, now: number): PeekedState =>
  message.visibleAt <= now ? 'visible' : message.receipt === null ? 'delayed' : 'inFlight';

/** The system attributes SQS reports for a message (ReceiveMessage and the Lambda record alike). */
export const systemAttributesOf = (message: StoredMessage): Record<string, string> => {
  const attributes: Record<string, string> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
  };
  if (message.traceHeader !== null) attributes.AWSTraceHeader = message.traceHeader;
  if (message.deadLetterSourceArn !== null) attributes.DeadLetterQueueSourceArn = message.deadLetterSourceArn;
  return attributes;
};

export const encodeReceipt = (queue: string, id: string, nonce: string): string =>
  Buffer.from(`${queue}\n${id}\n${nonce}`, 'utf8').toString('base64url');

export const decodeReceipt = (handle: string): { queue: string; id: string; nonce: string } | null => {
  if (!/^[A-Za-z0-9_-]+$/.test(handle)) return null;
  const parts = Buffer.from(handle, 'base64url').toString('utf8').split('\n');
  if (parts.length !== 3 || parts.some((part) => part === '')) return null;
  const [queue = '', id = '', nonce = ''] = parts;
  return { queue, id, nonce };
};

/** The receipt handle of the message's latest receive. */
export const receiptOf = (queueName: string, message: StoredMessage): string =>
  encodeReceipt(queueName, message.id, message.receipt ?? '');
