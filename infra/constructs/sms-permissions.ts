import { Arn, Aws, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';

/**
 * SNS direct publish to a phone number has no resource ARN, so IAM only accepts `Resource: *`.
 * It is narrowed two ways: only in the stack's own region (`aws:RequestedRegion`), and an
 * explicit deny on every SNS topic and endpoint ARN, so the grant cannot be used to publish to a
 * topic: what is left is SMS.
 */
export function allowSendingSms(handler: IFunction, originationIdentity: string | undefined): void {
  handler.addToRolePolicy(
    new PolicyStatement({
      sid: 'SendSmsByDirectPublish',
      actions: ['sns:Publish'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': Aws.REGION } },
    }),
  );
  // The role holds the policy these statements land in (infra/constructs/function-role.ts).
  const role = handler.role ?? handler;
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'SNS direct publish to a phone number has no resource ARN; the grant is limited to the stack region and ' +
      'every SNS topic and endpoint ARN is explicitly denied, so it can send SMS and nothing else.',
  });
  handler.addToRolePolicy(
    new PolicyStatement({
      sid: 'NoPublishToTopics',
      effect: Effect.DENY,
      actions: ['sns:Publish'],
      resources: [`arn:${Aws.PARTITION}:sns:*:*:*`],
    }),
  );
  if (originationIdentity) {
    if (!identityArnIsExact(originationIdentity)) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:*]',
        reason:
          'The SMS origination identity was given as a phone number or sender id, whose End User Messaging ARN ' +
          "cannot be derived from it: the grant covers this account's identities in this region. Give the phone " +
          'number id, pool id or ARN to narrow it to one.',
      });
    }
    handler.addToRolePolicy(
      new PolicyStatement({
        sid: 'SendSmsFromOriginationIdentity',
        actions: ['sms-voice:SendTextMessage'],
        resources: [originationIdentityArn(originationIdentity)],
      }),
    );
  }
}

/**
 * Voice calls after unanswered pages: exactly `sms-voice:SendVoiceMessage`, on the origination
 * identity the calls come from. Only with End User Messaging: a deployment on SNS direct publish
 * has no voice channel, so its functions are granted nothing here (and plan no calls).
 */
export function allowPlacingCalls(handler: IFunction, originationIdentity: string | undefined): void {
  if (!originationIdentity) return;
  const role = handler.role ?? handler;
  if (!identityArnIsExact(originationIdentity)) {
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:*]',
      reason:
        'The origination identity for SMS and voice calls was given as a phone number or sender id, whose End User ' +
        "Messaging ARN cannot be derived from it: SendTextMessage and SendVoiceMessage cover this account's identities " +
        'in this region. Give the phone number id, pool id or ARN to narrow both to one.',
    });
  }
  handler.addToRolePolicy(
    new PolicyStatement({
      sid: 'PlaceVoiceCallsFromOriginationIdentity',
      actions: ['sms-voice:SendVoiceMessage'],
      resources: [originationIdentityArn(originationIdentity)],
    }),
  );
}

/**
 * The ARN of an End User Messaging SMS origination identity given as an ARN, a phone number id
 * (`phone-…`) or a pool id (`pool-…`). Anything else (an E.164 number, a sender id) is matched
 * against every identity of this account in this region, since its ARN cannot be derived.
 */
const identityArnIsExact = (identity: string) => /^(arn:|phone-|pool-)/.test(identity);

export function originationIdentityArn(identity: string): string {
  if (identity.startsWith('arn:')) return identity;
  const resource = identity.startsWith('phone-') ? 'phone-number' : identity.startsWith('pool-') ? 'pool' : undefined;
  return Arn.format({
    partition: Aws.PARTITION,
    service: 'sms-voice',
    region: Aws.REGION,
    account: Aws.ACCOUNT_ID,
    resource: resource ?? '*',
    ...(resource ? { resourceName: identity } : {}),
  });
}
