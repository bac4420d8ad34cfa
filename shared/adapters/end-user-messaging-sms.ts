import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SmsSender } from '../ports.ts';
import { smsTimeouts, withTimeouts } from './client-timeouts.ts';

/**
 * SMS through AWS End User Messaging SMS from the service's origination number or pool, whose
 * two-way SMS delivers replies to the inbound topic. Transactional, with a time to live so a
 * page that could not be delivered within the acknowledgement window is not delivered late.
 */
export class EndUserMessagingSmsSender implements SmsSender {
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly originationIdentity: string,
    private readonly timeToLiveSeconds = 600,
  ) {}

  async send(to: string, text: string): Promise<void> {
    await this.client.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: to,
        OriginationIdentity: this.originationIdentity,
        MessageBody: text,
        MessageType: 'TRANSACTIONAL',
        TimeToLive: this.timeToLiveSeconds,
      }),
    );
  }
}

/** In Lambda: from the origination identity the stack names, with the function's role. */
export const endUserMessagingSmsSender = (originationIdentity: string) =>
  new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client(withTimeouts(smsTimeouts)), originationIdentity);
