import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

/**
 * Grants that name exactly what the adapters call, on exactly the table, indexes, queue and key
 * involved. CDK's `grantReadWriteData` and `grantSendMessages` would add `kms:ReEncrypt*`,
 * `kms:GenerateDataKey*` and `table/index/*`: wildcards no function needs.
 */
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
/** DynamoDB decrypts the table key with the caller's credentials; writes also encrypt with it. */
const KEY_FOR_TABLE_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_FOR_TABLE_WRITE = [...KEY_FOR_TABLE_READ, 'kms:Encrypt', 'kms:GenerateDataKey'];
/** What SQS asks of a sender to an SSE-KMS queue. */
const KEY_FOR_SENDING = ['kms:GenerateDataKey', 'kms:Decrypt'];

export function grantTable(
  grantee: IGrantable,
  table: ITable,
  indexNames: string[],
  key: IKey,
  access: 'read' | 'read-write',
): void {
  const write = access === 'read-write';
  Grant.addToPrincipal({
    grantee,
    actions: write ? [...TABLE_READ, ...TABLE_WRITE] : TABLE_READ,
    resourceArns: [table.tableArn, ...indexNames.map((index) => `${table.tableArn}/index/${index}`)],
  });
  key.grant(grantee, ...(write ? KEY_FOR_TABLE_WRITE : KEY_FOR_TABLE_READ));
}

export function grantSend(grantee: IGrantable, queue: IQueue, key: IKey): void {
  queue.grant(grantee, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
  key.grant(grantee, ...KEY_FOR_SENDING);
}
