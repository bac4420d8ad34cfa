import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SmsSender } from '../ports.ts';

/** SMS by SNS direct publish; transactional, so it is not dropped for price or queued behind marketing. */
export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly sns: SNSClient,
    private readonly senderId?: string,
  ) {}

  async send(to: string, text: string): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        PhoneNumber: to,
        Message: text,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(this.senderId
            ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.senderId } }
            : {}),
        },
      }),
    );
  }
}
