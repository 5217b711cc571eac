/**
 * What a handler sends to DynamoDB, and what it gets back, as they go on the wire, so that the
 * bench can send the very same commands raw and check that they got the same answers.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as dynamodb from '@aws-sdk/client-dynamodb';

/** One command as the client sent it, and how DynamoDB answered, both as on the wire. */
export interface SentCommand {
  /** The low-level command's class name, e.g. `TransactWriteItemsCommand`. */
  name: string;
  /** The marshalled input (attribute values as `{ S: … }`), which the low-level command takes as it is. */
  input: Record<string, unknown>;
  /** The request body as serialised for the wire. */
  body: string | Uint8Array;
  /** The HTTP status; absent when the call failed before an answer. */
  status?: number;
  /** The answer's body as received, before the SDK (and the document client) read it. */
  answer?: Uint8Array;
}

export interface CommandRecorder {
  /**
   * Runs `work`, recording every command sent through the client meanwhile. Calls are not to
   * overlap: the bench runs its rounds one after the other.
   */
  record<T>(work: () => Promise<T>): Promise<{ result: T; sent: SentCommand[] }>;
}

interface WireArgs {
  input: Record<string, unknown>;
  request?: { body?: unknown };
}

interface WireResponse {
  statusCode?: number;
  body?: unknown;
}

/** The answer's bytes; the SDK's deserialiser takes bytes in place of the stream as they are. */
const readAnswer = async (body: unknown): Promise<Uint8Array> => {
  if (body instanceof Uint8Array) return body;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
};

/**
 * Installs the recording middleware on `client` (a DocumentClient made from it sends through its
 * stack), innermost at the `deserialize` step: the request is serialised (the document client has
 * marshalled the input), and the answer is not yet deserialised (nor unmarshalled). Outside
 * `record` it only checks one variable; inside, it keeps references, and reads the answer's
 * stream into bytes as the deserialiser would have. The bench installs it on the one client that
 * both the handler and the raw replay send through, so that whatever it costs, it costs both
 * sides alike.
 */
export const recordCommands = (client: DynamoDBClient): CommandRecorder => {
  let current: SentCommand[] | null = null;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const log = current;
      if (log === null) return next(args);
      const { input, request } = args as unknown as WireArgs;
      const entry: SentCommand = {
        name: String(context.commandName),
        input,
        body: request?.body as string | Uint8Array,
      };
      log.push(entry);
      const result = await next(args);
      const response = result.response as WireResponse;
      if (response.statusCode !== undefined) entry.status = response.statusCode;
      entry.answer = await readAnswer(response.body);
      response.body = entry.answer;
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'benchCommandRecorder' },
  );
  return {
    record: async (work) => {
      if (current !== null) throw new Error('recordings must not overlap');
      const sent: SentCommand[] = [];
      current = sent;
      try {
        const result = await work();
        return { result, sent };
      } finally {
        current = null;
      }
    },
  };
};

/** A recorded body as text (the SDK hands the JSON protocol's body over as bytes). */
export const bodyText = (body: string | Uint8Array): string =>
  typeof body === 'string' ? body : new TextDecoder().decode(body);

/** A command to replay: its class name and its marshalled input. */
export type RawCommand = Pick<SentCommand, 'name' | 'input'>;

type CommandClass = new (input: Record<string, unknown>) => Parameters<DynamoDBClient['send']>[0];

/** The low-level command class of a recorded name, refusing anything that is not one. */
export const commandClass = (name: string): CommandClass => {
  const found = (dynamodb as unknown as Record<string, unknown>)[name];
  if (!name.endsWith('Command') || typeof found !== 'function') {
    throw new Error(`${name} is not a command of @aws-sdk/client-dynamodb`);
  }
  return found as CommandClass;
};

/**
 * A function sending `commands` one after the other with the low-level client: no product code, no
 * marshalling. The classes are looked up here, so that the timed call only builds and sends.
 */
export const replayOf = (client: DynamoDBClient, commands: readonly RawCommand[]): (() => Promise<void>) => {
  const resolved = commands.map((command) => ({ Command: commandClass(command.name), input: command.input }));
  return async () => {
    for (const { Command, input } of resolved) await client.send(new Command(input));
  };
};
