import { PinpointSMSVoiceV2Client, SendVoiceMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { EndUserMessagingVoiceCaller } from '../../../shared/adapters/end-user-messaging-voice.ts';
import { callSsml } from '../../../shared/domain/voice.ts';
import { VoiceCallError } from '../../../shared/ports.ts';

const voice = mockClient(PinpointSMSVoiceV2Client);
const ssml = callSsml({ reference: 'EDT-4F7K-2Q9M', urgency: 'immediate', legalStatus: 's136', district: 'LS1' });

afterEach(() => voice.reset());

describe('End User Messaging SMS and Voice caller', () => {
  it('sends one SendVoiceMessage: the number, the origination identity, the SSML, an en-GB voice and a short time to live', async () => {
    voice.on(SendVoiceMessageCommand).resolves({ MessageId: 'voice-1' });
    await new EndUserMessagingVoiceCaller(new PinpointSMSVoiceV2Client({ region: 'eu-west-2' }), 'pool-0123456789abcdef').call('+447700900101', ssml);
    expect(voice.commandCalls(SendVoiceMessageCommand).map((call) => call.args[0].input)).toEqual([
      {
        DestinationPhoneNumber: '+447700900101',
        OriginationIdentity: 'pool-0123456789abcdef',
        MessageBody: ssml,
        MessageBodyTextType: 'SSML',
        VoiceId: 'AMY',
        TimeToLive: 300,
      },
    ]);
  });

  it('turns a refusal into a VoiceCallError naming its cause and reason, without the number or the words', async () => {
    voice.on(SendVoiceMessageCommand).rejects(Object.assign(new Error('destination not voice capable'), { name: 'ValidationException', Reason: 'DESTINATION_COUNTRY_BLOCKED' }));
    const error = await new EndUserMessagingVoiceCaller(new PinpointSMSVoiceV2Client({ region: 'eu-west-2' }), 'pool-0123456789abcdef')
      .call('+447700900101', ssml)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoiceCallError);
    expect(error).toMatchObject({ causeName: 'ValidationException', reason: 'DESTINATION_COUNTRY_BLOCKED' });
    expect(String((error as Error).message)).not.toContain('+447700900101');
    expect(voice.commandCalls(SendVoiceMessageCommand)).toHaveLength(1);
  });
});
