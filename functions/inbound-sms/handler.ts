import type { SNSEvent } from 'aws-lambda';
import * as z from 'zod';
import { handleInboundSms } from '../../shared/app/inbound-sms.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/** The message AWS End User Messaging SMS publishes to the two-way SMS topic. */
const inboundSms = z.object({
  originationNumber: z.string().min(1).max(32),
  messageBody: z.string().max(1600),
  destinationNumber: z.string().optional(),
  // A UUID from AWS. It becomes part of a DynamoDB key (the redelivery mark), so anything else is
  // set aside for the notification's own MessageId rather than losing the reply.
  inboundMessageId: z.string().regex(/^[\x21-\x7e]{1,128}$/).optional().catch(undefined),
});

export const makeHandler = (deps: Dependencies) => async (event: SNSEvent): Promise<void> => {
  for (const record of event.Records) {
    let parsed;
    try {
      parsed = inboundSms.safeParse(JSON.parse(record.Sns.Message));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      // A malformed notification cannot become valid by retrying: drop it, without its content.
      deps.log.warn('inbound SMS notification not understood; dropped', { messageId: record.Sns.MessageId });
      continue;
    }
    const outcome = await handleInboundSms(deps, {
      from: parsed.data.originationNumber,
      body: parsed.data.messageBody,
      messageId: parsed.data.inboundMessageId ?? record.Sns.MessageId,
    });
    deps.log.info('inbound SMS handled', { messageId: record.Sns.MessageId, outcome });
  }
};

export const handler = lambdaEntry(makeHandler);
