/**
 * The table as plain objects: each command takes and gives items as JavaScript values, marshalled
 * to DynamoDB's `{ S: … }` form with util-dynamodb on the way out and unmarshalled on the way back,
 * then sent with the low-level client's own command. Not lib-dynamodb's DynamoDBDocumentClient:
 * that one builds a second middleware stack for every command and walks the input twice, which
 * measured about a tenth of a millisecond per read (docs/data-model.md#storage-layer).
 *
 * The classes keep lib-dynamodb's names and input shapes, so a repository reads as before, and a
 * test that mocks the client (aws-sdk-client-mock stubs `send`) matches these commands as it
 * matched lib-dynamodb's. Only the expression-based parameters exist: the legacy ones (Expected,
 * KeyConditions, AttributeUpdates, …) are left out of the types, so that nothing sends them
 * unmarshalled.
 */
import {
  type AttributeValue,
  type BatchGetItemCommandInput,
  type BatchGetItemCommandOutput,
  BatchGetItemCommand as BatchGetItems,
  type BatchWriteItemCommandInput,
  type BatchWriteItemCommandOutput,
  BatchWriteItemCommand as BatchWriteItems,
  type DynamoDBClient,
  GetItemCommand as GetItem,
  type GetItemCommandInput,
  type GetItemCommandOutput,
  PutItemCommand as PutItem,
  type PutItemCommandInput,
  type PutItemCommandOutput,
  QueryCommand as QueryItems,
  type QueryCommandInput as QueryItemsInput,
  type QueryCommandOutput as QueryItemsOutput,
  ScanCommand as ScanItems,
  type ScanCommandInput as ScanItemsInput,
  type ScanCommandOutput as ScanItemsOutput,
  type TransactWriteItem,
  TransactWriteItemsCommand as TransactWriteItems,
  type TransactWriteItemsCommandInput,
  type TransactWriteItemsCommandOutput,
  UpdateItemCommand as UpdateItem,
  type UpdateItemCommandInput,
  type UpdateItemCommandOutput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';

/** An item, a key or a map of expression values, as JavaScript values. */
export type NativeItem = Record<string, NativeAttributeValue>;
type MarshalledItem = Record<string, AttributeValue>;

/** `undefined` members are left out, at any depth, rather than refused (a field not set is not stored). */
const MARSHALL_OPTIONS = { removeUndefinedValues: true } as const;

/** An item or key to DynamoDB's form. */
export const toAttributes = (item: NativeItem): MarshalledItem => marshall(item, MARSHALL_OPTIONS);

/** An item or key from DynamoDB's form; numbers beyond 2^53 come back as bigint (util-dynamodb's rule). */
export const fromAttributes = (item: MarshalledItem): NativeItem => unmarshall(item);

const valuesOf = (values: NativeItem | undefined): MarshalledItem | undefined =>
  values === undefined ? undefined : toAttributes(values);

const itemsOf = (items: MarshalledItem[] | undefined): NativeItem[] | undefined => items?.map(fromAttributes);

/** `input` with `key` replaced by `value`, the key left out when there is no value (as the SDK sends it). */
const replacing = <T extends object, K extends string, V>(
  input: T,
  key: K,
  value: V | undefined,
): Omit<T, K> & { [P in K]?: V } => {
  const copy = { ...input } as Record<string, unknown>;
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy as Omit<T, K> & { [P in K]?: V };
};

/** The expression values of an input, marshalled. */
const withValues = <T extends { ExpressionAttributeValues?: NativeItem | undefined }>(input: T) =>
  replacing(input, 'ExpressionAttributeValues', valuesOf(input.ExpressionAttributeValues));

type Native<T, Marshalled extends PropertyKey, As> = Omit<T, Marshalled> & As;
type WithValues = { ExpressionAttributeValues?: NativeItem | undefined };

export type GetCommandInput = Native<GetItemCommandInput, 'Key' | 'AttributesToGet', { Key: NativeItem }>;
export type GetCommandOutput = Native<GetItemCommandOutput, 'Item', { Item?: NativeItem }>;

export type PutCommandInput = Native<
  PutItemCommandInput,
  'Item' | 'ExpressionAttributeValues' | 'Expected' | 'ConditionalOperator',
  { Item: NativeItem } & WithValues
>;
export type PutCommandOutput = Native<PutItemCommandOutput, 'Attributes', { Attributes?: NativeItem }>;

export type UpdateCommandInput = Native<
  UpdateItemCommandInput,
  'Key' | 'ExpressionAttributeValues' | 'AttributeUpdates' | 'Expected' | 'ConditionalOperator',
  { Key: NativeItem } & WithValues
>;
export type UpdateCommandOutput = Native<UpdateItemCommandOutput, 'Attributes', { Attributes?: NativeItem }>;

type PageInput = { ExclusiveStartKey?: NativeItem | undefined } & WithValues;
type PageOutput = { Items?: NativeItem[]; LastEvaluatedKey?: NativeItem };

export type QueryCommandInput = Native<
  QueryItemsInput,
  | 'ExclusiveStartKey'
  | 'ExpressionAttributeValues'
  | 'KeyConditions'
  | 'QueryFilter'
  | 'AttributesToGet'
  | 'ConditionalOperator',
  PageInput
>;
export type QueryCommandOutput = Native<QueryItemsOutput, 'Items' | 'LastEvaluatedKey', PageOutput>;

export type ScanCommandInput = Native<
  ScanItemsInput,
  | 'ExclusiveStartKey'
  | 'ExpressionAttributeValues'
  | 'ScanFilter'
  | 'AttributesToGet'
  | 'ConditionalOperator',
  PageInput
>;
export type ScanCommandOutput = Native<ScanItemsOutput, 'Items' | 'LastEvaluatedKey', PageOutput>;

type KeysAndAttributes = NonNullable<BatchGetItemCommandInput['RequestItems']>[string];
type NativeKeysAndAttributes = Native<KeysAndAttributes, 'Keys' | 'AttributesToGet', { Keys: NativeItem[] }>;

export type BatchGetCommandInput = Native<
  BatchGetItemCommandInput,
  'RequestItems',
  { RequestItems: Record<string, NativeKeysAndAttributes> }
>;
export type BatchGetCommandOutput = Native<
  BatchGetItemCommandOutput,
  'Responses' | 'UnprocessedKeys',
  {
    Responses?: Record<string, NativeItem[]>;
    UnprocessedKeys?: Record<string, NativeKeysAndAttributes>;
  }
>;

export interface NativeWriteRequest {
  PutRequest?: { Item: NativeItem };
  DeleteRequest?: { Key: NativeItem };
}

export type BatchWriteCommandInput = Native<
  BatchWriteItemCommandInput,
  'RequestItems',
  { RequestItems: Record<string, NativeWriteRequest[]> }
>;
export type BatchWriteCommandOutput = Native<
  BatchWriteItemCommandOutput,
  'UnprocessedItems',
  { UnprocessedItems?: Record<string, NativeWriteRequest[]> }
>;

type Keyed<T, K extends 'Key' | 'Item'> = Native<
  T,
  K | 'ExpressionAttributeValues',
  Record<K, NativeItem> & WithValues
>;

export interface NativeTransactWriteItem {
  ConditionCheck?: Keyed<NonNullable<TransactWriteItem['ConditionCheck']>, 'Key'>;
  Put?: Keyed<NonNullable<TransactWriteItem['Put']>, 'Item'>;
  Delete?: Keyed<NonNullable<TransactWriteItem['Delete']>, 'Key'>;
  Update?: Keyed<NonNullable<TransactWriteItem['Update']>, 'Key'>;
}

export type TransactWriteCommandInput = Native<
  TransactWriteItemsCommandInput,
  'TransactItems',
  { TransactItems: NativeTransactWriteItem[] }
>;
export type TransactWriteCommandOutput = TransactWriteItemsCommandOutput;

/** One operation on the table: its input as JavaScript values, and how it is sent and read back. */
export abstract class DocumentCommand<Input, Output> {
  constructor(readonly input: Input) {}
  /** Marshals the input, sends the low-level command through `client`, unmarshals the answer. */
  abstract sendWith(client: DynamoDBClient): Promise<Output>;
}

export class GetCommand extends DocumentCommand<GetCommandInput, GetCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<GetCommandOutput> {
    const input = { ...this.input, Key: toAttributes(this.input.Key) };
    const { Item, ...output } = await client.send(new GetItem(input));
    return Item === undefined ? output : { ...output, Item: fromAttributes(Item) };
  }
}

export class PutCommand extends DocumentCommand<PutCommandInput, PutCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<PutCommandOutput> {
    const input = { ...withValues(this.input), Item: toAttributes(this.input.Item) };
    const { Attributes, ...output } = await client.send(new PutItem(input));
    return Attributes === undefined ? output : { ...output, Attributes: fromAttributes(Attributes) };
  }
}

export class UpdateCommand extends DocumentCommand<UpdateCommandInput, UpdateCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<UpdateCommandOutput> {
    const input = { ...withValues(this.input), Key: toAttributes(this.input.Key) };
    const { Attributes, ...output } = await client.send(new UpdateItem(input));
    return Attributes === undefined ? output : { ...output, Attributes: fromAttributes(Attributes) };
  }
}

/** A page's input with its start key and values marshalled, its answer's items and last key read back. */
const pageInput = <T extends PageInput>(input: T) =>
  replacing(
    withValues(input),
    'ExclusiveStartKey',
    input.ExclusiveStartKey === undefined ? undefined : toAttributes(input.ExclusiveStartKey),
  );

const pageOutput = <T extends { Items?: MarshalledItem[]; LastEvaluatedKey?: MarshalledItem }>(page: T) => {
  const { Items, LastEvaluatedKey, ...output } = page;
  const native: PageOutput = {};
  if (Items !== undefined) native.Items = itemsOf(Items) as NativeItem[];
  if (LastEvaluatedKey !== undefined) native.LastEvaluatedKey = fromAttributes(LastEvaluatedKey);
  return { ...output, ...native };
};

export class QueryCommand extends DocumentCommand<QueryCommandInput, QueryCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<QueryCommandOutput> {
    return pageOutput(await client.send(new QueryItems(pageInput(this.input))));
  }
}

export class ScanCommand extends DocumentCommand<ScanCommandInput, ScanCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<ScanCommandOutput> {
    return pageOutput(await client.send(new ScanItems(pageInput(this.input))));
  }
}

/** A record of each table's value, mapped. */
const perTable = <A, B>(tables: Record<string, A>, map: (value: A) => B): Record<string, B> =>
  Object.fromEntries(Object.entries(tables).map(([table, value]) => [table, map(value)]));

const keysToAttributes = (keys: NativeKeysAndAttributes): KeysAndAttributes => ({
  ...keys,
  Keys: keys.Keys.map(toAttributes),
});

const keysFromAttributes = (keys: KeysAndAttributes): NativeKeysAndAttributes => ({
  ...keys,
  Keys: (keys.Keys ?? []).map(fromAttributes),
});

export class BatchGetCommand extends DocumentCommand<BatchGetCommandInput, BatchGetCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<BatchGetCommandOutput> {
    const RequestItems = perTable(this.input.RequestItems, keysToAttributes);
    const { Responses, UnprocessedKeys, ...output } = await client.send(
      new BatchGetItems({ ...this.input, RequestItems }),
    );
    const native: Pick<BatchGetCommandOutput, 'Responses' | 'UnprocessedKeys'> = {};
    if (Responses !== undefined) native.Responses = perTable(Responses, (items) => items.map(fromAttributes));
    if (UnprocessedKeys !== undefined) native.UnprocessedKeys = perTable(UnprocessedKeys, keysFromAttributes);
    return { ...output, ...native };
  }
}

const writeToAttributes = ({ PutRequest, DeleteRequest }: NativeWriteRequest): WriteRequest => ({
  ...(PutRequest && { PutRequest: { Item: toAttributes(PutRequest.Item) } }),
  ...(DeleteRequest && { DeleteRequest: { Key: toAttributes(DeleteRequest.Key) } }),
});

const writeFromAttributes = ({ PutRequest, DeleteRequest }: WriteRequest): NativeWriteRequest => ({
  ...(PutRequest?.Item && { PutRequest: { Item: fromAttributes(PutRequest.Item) } }),
  ...(DeleteRequest?.Key && { DeleteRequest: { Key: fromAttributes(DeleteRequest.Key) } }),
});

export class BatchWriteCommand extends DocumentCommand<BatchWriteCommandInput, BatchWriteCommandOutput> {
  async sendWith(client: DynamoDBClient): Promise<BatchWriteCommandOutput> {
    const RequestItems = perTable(this.input.RequestItems, (writes) => writes.map(writeToAttributes));
    const { UnprocessedItems, ...output } = await client.send(
      new BatchWriteItems({ ...this.input, RequestItems }),
    );
    return UnprocessedItems === undefined
      ? output
      : {
          ...output,
          UnprocessedItems: perTable(UnprocessedItems, (writes) => writes.map(writeFromAttributes)),
        };
  }
}

/** A transaction item's key or item and its expression values, marshalled. */
const keyed = <K extends 'Key' | 'Item'>(part: (WithValues & Record<K, NativeItem>) | undefined, key: K) =>
  part === undefined ? undefined : { ...withValues(part), [key]: toAttributes(part[key]) };

const transactItemToAttributes = (item: NativeTransactWriteItem): TransactWriteItem => {
  const marshalled: Record<string, unknown> = {};
  if (item.ConditionCheck) marshalled.ConditionCheck = keyed(item.ConditionCheck, 'Key');
  if (item.Put) marshalled.Put = keyed(item.Put, 'Item');
  if (item.Delete) marshalled.Delete = keyed(item.Delete, 'Key');
  if (item.Update) marshalled.Update = keyed(item.Update, 'Key');
  return marshalled as TransactWriteItem;
};

export class TransactWriteCommand extends DocumentCommand<
  TransactWriteCommandInput,
  TransactWriteCommandOutput
> {
  sendWith(client: DynamoDBClient): Promise<TransactWriteCommandOutput> {
    const TransactItems = this.input.TransactItems.map(transactItemToAttributes);
    return client.send(new TransactWriteItems({ ...this.input, TransactItems }));
  }
}

/**
 * What repositories send their commands through: one low-level client, reused across invocations.
 * `send` has the SDK clients' shape, so that aws-sdk-client-mock can stub it in tests.
 */
export class DocumentClient {
  constructor(readonly client: DynamoDBClient) {}

  send<Output>(command: DocumentCommand<unknown, Output>): Promise<Output> {
    return command.sendWith(this.client);
  }
}
