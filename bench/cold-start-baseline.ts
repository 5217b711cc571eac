import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The cold-start floor: a function that only creates the DynamoDB client every function needs,
 * bundled like the others. What a function costs above it is our own code and libraries.
 */
const client = new DynamoDBClient({});

export const handler = async (): Promise<DynamoDBClient> => client;
