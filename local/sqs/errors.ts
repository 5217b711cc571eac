import { MAX_BATCH_ENTRIES, MAX_MESSAGE_BYTES } from './config.js';

/**
 * An SQS error. The SDK (awsJson1_0 with awsQueryCompatible) takes the error code from the
 * `x-amzn-query-error` header (`<query code>;Sender`) first and maps it to the modelled
 * exception whose `awsQueryError` trait carries that code (e.g. AWS.SimpleQueueService.
 * NonExistentQueue → QueueDoesNotExist); `__type` is what SQS sends alongside.
 */
export class SqsError extends Error {
  constructor(
    readonly shape: string,
    readonly queryCode: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const errors = {
  queueDoesNotExist: () =>
    new SqsError(
      'QueueDoesNotExist',
      'AWS.SimpleQueueService.NonExistentQueue',
      400,
      'The specified queue does not exist.',
    ),
  receiptHandleIsInvalid: (handle: string) =>
    new SqsError(
      'ReceiptHandleIsInvalid',
      'ReceiptHandleIsInvalid',
      404,
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    ),
  messageNotInflight: () =>
    new SqsError(
      'MessageNotInflight',
      'AWS.SimpleQueueService.MessageNotInflight',
      400,
      'Message not inflight.',
    ),
  tooManyEntries: (count: number) =>
    new SqsError(
      'TooManyEntriesInBatchRequest',
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      400,
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${count}.`,
    ),
  emptyBatch: () =>
    new SqsError(
      'EmptyBatchRequest',
      'AWS.SimpleQueueService.EmptyBatchRequest',
      400,
      'There should be at least one entry in the request.',
    ),
  idsNotDistinct: (id: string) =>
    new SqsError(
      'BatchEntryIdsNotDistinct',
      'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      400,
      `Id ${id} repeated.`,
    ),
  invalidBatchEntryId: () =>
    new SqsError(
      'InvalidBatchEntryId',
      'AWS.SimpleQueueService.InvalidBatchEntryId',
      400,
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
    ),
  batchTooLong: () =>
    new SqsError(
      'BatchRequestTooLong',
      'AWS.SimpleQueueService.BatchRequestTooLong',
      400,
      `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes.`,
    ),
  invalidAttributeName: (name: string) =>
    new SqsError('InvalidAttributeName', 'InvalidAttributeName', 400, `Unknown Attribute ${name}.`),
  invalidMessageContents: () =>
    new SqsError(
      'InvalidMessageContents',
      'InvalidMessageContents',
      400,
      'Invalid binary character in the message body or attributes.',
    ),
  invalidParameter: (message: string) =>
    new SqsError('InvalidParameterValue', 'InvalidParameterValue', 400, message),
  missingParameter: (name: string) =>
    new SqsError(
      'MissingParameter',
      'MissingParameter',
      400,
      `The request must contain the parameter ${name}.`,
    ),
  unsupportedOperation: (operation: string) =>
    new SqsError(
      'UnsupportedOperation',
      'AWS.SimpleQueueService.UnsupportedOperation',
      400,
      `${operation} is not supported by the local queue.`,
    ),
};

/** A failed entry of a batch request: the sender's fault for an SqsError, ours otherwise. */
export const batchFailure = (id: string, error: unknown) => {
  if (error instanceof SqsError) {
    return { Id: id, SenderFault: true, Code: error.queryCode, Message: error.message };
  }
  return { Id: id, SenderFault: false, Code: 'InternalError', Message: String(error) };
};
