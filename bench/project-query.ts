/**
 * The DynamoDB Query that GET /projects/{id} sends, as it goes on the wire: captured from the
 * repository the handler uses (ProjectRepository.getView through the document client), not written
 * again here, so that the raw server of the local-API case sends the very same command.
 */
import { DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../functions/storage/client.js';
import { ProjectRepository } from '../functions/storage/project-repository.js';

/**
 * The marshalled input of every command `read` sends through a document client on `tableName`.
 * Nothing leaves the process: each command is answered with no items before it is signed or sent.
 */
export const captureCommands = async (
  read: (access: { db: ReturnType<typeof createDocumentClient>; tableName: string }) => Promise<unknown>,
  tableName: string,
): Promise<Record<string, unknown>[]> => {
  const client = new DynamoDBClient({
    region: 'local',
    credentials: { accessKeyId: 'capture', secretAccessKey: 'capture' },
    // A port nobody listens on: a command that slipped past the capture would fail, not be sent.
    endpoint: 'http://127.0.0.1:9',
    maxAttempts: 1,
  });
  const inputs: Record<string, unknown>[] = [];
  // After serialisation's DocumentMarshall (so the input is in DynamoDB's attribute-value form),
  // before anything is signed or sent; the answer skips deserialisation and so stays as given.
  client.middlewareStack.add(
    () => async (args) => {
      inputs.push(structuredClone(args.input as Record<string, unknown>));
      return { output: { Items: [], $metadata: {} }, response: {} } as never;
    },
    { step: 'build', priority: 'high', name: 'captureCommands' },
  );
  try {
    await read({ db: createDocumentClient(client), tableName });
  } finally {
    client.destroy();
  }
  return inputs;
};

/** The one Query getProject's repository sends for `projectId`. */
export const projectViewQuery = async (tableName: string, projectId: string): Promise<QueryCommandInput> => {
  const inputs = await captureCommands(
    (access) => new ProjectRepository(access).getView(projectId),
    tableName,
  );
  if (inputs.length !== 1)
    throw new Error(`getView sent ${inputs.length} commands; the raw server sends one`);
  return inputs[0] as unknown as QueryCommandInput;
};
