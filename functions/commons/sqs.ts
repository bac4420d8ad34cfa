import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import type { Log } from '../../shared/ports.ts';

/**
 * One record's failure fails only that record (ReportBatchItemFailures): SQS redelivers it after
 * the visibility timeout and, after maxReceiveCount, moves it to the dead-letter queue.
 */
export function sqsBatchHandler<T>(schema: z.ZodType<T>, log: Log, processMessage: (message: T) => Promise<void>) {
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const processor = new BatchProcessor(EventType.SQS);
    const processRecord = async (record: SQSRecord) => {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        throw new Error(`message ${record.messageId} is not JSON`);
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new Error(`message ${record.messageId} does not match the expected shape`);
      try {
        await processMessage(parsed.data);
      } catch (error) {
        log.error('message failed; SQS will redeliver it', {
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          // The name and status only: provider messages can echo a phone number.
          error: error instanceof Error ? error.name : 'unknown',
          status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
        });
        throw error;
      }
    };
    return processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false });
  };
}
