import { PublishCommand, SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import type { SmsSender } from '../ports.ts';

export const makeSnsClient = (config: SNSClientConfig) => new SNSClient(config);

/** SMS by SNS direct publish; transactional, so it is not dropped for price or queued behind marketing. */
export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly sns: SNSClient,
    /** An origination number (E.164) from End User Messaging SMS; without it AWS picks one. */
    private readonly originationNumber?: string,
  ) {}

  async send(to: string, text: string): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        PhoneNumber: to,
        Message: text,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(this.originationNumber
            ? { 'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: this.originationNumber } }
            : {}),
        },
      }),
    );
  }
}
