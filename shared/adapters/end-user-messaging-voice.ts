import { PinpointSMSVoiceV2Client, SendVoiceMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { VoiceCallError, type VoiceCaller } from '../ports.ts';
import { smsTimeouts, withTimeouts } from './client-timeouts.ts';

/** A British English voice, so a reference spelt out letter by letter sounds as it is written. */
export const CALL_VOICE = 'AMY';

/**
 * Voice calls through AWS End User Messaging SMS and Voice (`SendVoiceMessage`), from the
 * service's voice-capable origination number or pool, speaking SSML with an en-GB Polly voice.
 * A call not connected within its time to live is dropped: ringing after the page's timeout helps
 * nobody. No retry here: the page's texts and timer carry on, and a storm of calls would not help.
 */
export class EndUserMessagingVoiceCaller implements VoiceCaller {
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly originationIdentity: string,
    private readonly timeToLiveSeconds = 300,
  ) {}

  async call(to: string, ssml: string): Promise<void> {
    try {
      await this.client.send(
        new SendVoiceMessageCommand({
          DestinationPhoneNumber: to,
          OriginationIdentity: this.originationIdentity,
          MessageBody: ssml,
          MessageBodyTextType: 'SSML',
          VoiceId: CALL_VOICE,
          TimeToLive: this.timeToLiveSeconds,
        }),
      );
    } catch (error) {
      const reason = (error as { Reason?: unknown })?.Reason;
      throw new VoiceCallError((error as Error)?.name ?? 'unknown', typeof reason === 'string' ? reason : undefined);
    }
  }
}

/** In Lambda: from the origination identity the stack names, with the function's role. */
export const endUserMessagingVoiceCaller = (originationIdentity: string) =>
  new EndUserMessagingVoiceCaller(new PinpointSMSVoiceV2Client(withTimeouts(smsTimeouts)), originationIdentity);
