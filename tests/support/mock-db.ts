import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { SinonSpyCall } from 'sinon';
import { createDocumentClient } from '../../functions/storage/client.js';
import type { DocumentClient, DocumentCommand } from '../../functions/storage/document-client.js';

type CommandClass<I, O> = new (input: I) => DocumentCommand<I, O>;
type Call<I, O> = SinonSpyCall<[DocumentCommand<I, O>], Promise<O>>;

/** What a test tells the mock to answer a matched command with. */
export interface DocumentBehaviour<O> {
  resolves(output: Partial<O>): DocumentMock;
  resolvesOnce(output: Partial<O>): DocumentBehaviour<O>;
  rejects(error?: string | Error): DocumentMock;
  rejectsOnce(error?: string | Error): DocumentBehaviour<O>;
  // biome-ignore lint/suspicious/noExplicitAny: the input of whichever command matched, as aws-sdk-client-mock types it.
  callsFake(fake: (input: any) => unknown): DocumentMock;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  callsFakeOnce(fake: (input: any) => unknown): DocumentBehaviour<O>;
}

/**
 * aws-sdk-client-mock's stub of the document client, typed for its commands (the library types
 * `on` and `commandCalls` for the SDK's own command classes; it matches any class by `instanceof`).
 */
export interface DocumentMock extends DocumentBehaviour<unknown> {
  on<I, O>(command: CommandClass<I, O>, input?: Partial<I>, strict?: boolean): DocumentBehaviour<O>;
  commandCalls<I, O>(command: CommandClass<I, O>, input?: Partial<I>, strict?: boolean): Call<I, O>[];
  onAnyCommand(input?: object, strict?: boolean): DocumentBehaviour<unknown>;
  calls(): Call<unknown, unknown>[];
  reset(): DocumentMock;
  restore(): void;
}

/** A document client whose every call is answered by aws-sdk-client-mock (for failure branches). */
export const mockedDocumentClient = (): { db: DocumentClient; mock: DocumentMock } => {
  const db = createDocumentClient(
    new DynamoDBClient({ region: 'ap-northeast-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
  const mock = mockClient(db as unknown as DynamoDBClient) as unknown as DocumentMock;
  return { db, mock };
};

/** The error DynamoDB returns when a transaction is cancelled, with one reason per item. */
export const transactionCanceled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
