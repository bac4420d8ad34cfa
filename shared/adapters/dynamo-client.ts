import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The DynamoDB client, and the document client over it that every table adapter uses. */
export function makeDynamoClients(config: DynamoDBClientConfig): { dynamo: DynamoDBClient; db: DynamoDBDocumentClient } {
  const dynamo = new DynamoDBClient(config);
  return { dynamo, db: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }) };
}
