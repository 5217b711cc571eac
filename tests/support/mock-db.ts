import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDocumentClient } from '../../functions/storage/client.js';

/** A document client whose every call is answered by aws-sdk-client-mock (for failure branches). */
export const mockedDocumentClient = (): {
  db: DynamoDBDocumentClient;
  mock: ReturnType<typeof mockClient>;
} => {
  const db = createDocumentClient(
    new DynamoDBClient({ region: 'ap-northeast-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
  return { db, mock: mockClient(db) };
};

/** The error DynamoDB returns when a transaction is cancelled, with one reason per item. */
export const transactionCanceled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
