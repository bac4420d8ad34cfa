/**
 * The Amazon Connect contact-flow Lambda ("Invoke AWS Lambda function" block). The flow collects
 * the postcode where the person is now, the legal status and the urgency (and, for s135, s136 and
 * s5, when the detention started) and passes them as function input parameters; the caller's
 * number is the callback number unless the flow gives another. It answers with a flat map of
 * strings, which the flow reads as `$.External.result`, `$.External.reference` and so on:
 *
 *   { result: 'accepted', reference: 'EDT-4F7K-2Q9M', referenceSpoken: 'E D T, 4 F 7 K, 2 Q 9 M', referralId }
 *   { result: 'invalid', field: 'currentLocation.postcode', message: '…', fields: '…' }
 *   { result: 'error' }
 *
 * Connect waits at most 8 seconds: the referral is stored and queued (tens of milliseconds) and
 * the answer is given before the deadline whatever happens. The contact id is the Idempotency-Key,
 * so a flow that retries the block gets the same referral, never a second one.
 */
import type { ConnectContactFlowEvent, ConnectContactFlowResult, Context } from 'aws-lambda';
import * as z from 'zod';
import { submitPhoneReferral } from '../../shared/app/phone-intake.ts';
import { connectReferralBody, spokenReference } from '../../shared/domain/telephony.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/** The answer must reach Connect before its 8-second limit, with this much to spare. */
const ANSWER_MARGIN_MS = 1_500;
const CONNECT_LIMIT_MS = 8_000;

const contactFlowEvent = z.object({
  Name: z.literal('ContactFlowEvent'),
  Details: z.object({
    ContactData: z.object({
      ContactId: z.string().min(1).max(256),
      InstanceARN: z.string().max(2048),
      CustomerEndpoint: z.object({ Address: z.string().max(64), Type: z.string() }).nullable().optional(),
    }),
    Parameters: z.record(z.string(), z.string()).default({}),
  }),
});

/** `arn:aws:connect:eu-west-2:111122223333:instance/<id>` → `<id>`. */
const instanceIdOf = (arn: string) => /instance\/([A-Za-z0-9-]{1,64})$/.exec(arn)?.[1] ?? 'unknown';

export const makeHandler =
  (deps: Dependencies) =>
  async (event: ConnectContactFlowEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<ConnectContactFlowResult> => {
    const parsed = contactFlowEvent.safeParse(event);
    if (!parsed.success) {
      deps.log.error('contact flow event not understood');
      return { result: 'error' };
    }
    const { ContactData, Parameters } = parsed.data.Details;
    const caller = ContactData.CustomerEndpoint?.Type === 'TELEPHONE_NUMBER' ? ContactData.CustomerEndpoint.Address : undefined;
    const { body, issues } = connectReferralBody(Parameters, caller, deps.clock.now());
    if (issues.length > 0) return invalidResult(issues);

    const budget = Math.min(context?.getRemainingTimeInMillis() ?? CONNECT_LIMIT_MS, CONNECT_LIMIT_MS) - ANSWER_MARGIN_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(budget, 0))));
    try {
      const result = await Promise.race([
        submitPhoneReferral(deps, {
          source: `connect:${instanceIdOf(ContactData.InstanceARN)}`,
          body,
          idempotencyKey: `connect:${ContactData.ContactId}`,
        }),
        deadline,
      ]);
      if (result === 'late') {
        // The work may still finish: a retry of the block with the same contact id finds it.
        deps.log.error('phone referral not confirmed before the contact flow deadline');
        return { result: 'error' };
      }
      switch (result.kind) {
        case 'invalid':
          return invalidResult(result.issues);
        case 'idempotency-conflict':
          return { result: 'invalid', field: 'contact', message: 'this call already made a referral with different answers', fields: 'contact' };
        case 'accepted':
          deps.log.info('phone referral accepted for routing', { referralId: result.referral.id, via: 'connect', replayed: result.replayed });
          return {
            result: 'accepted',
            reference: result.referral.reference,
            referenceSpoken: spokenReference(result.referral.reference),
            referralId: result.referral.id,
          };
      }
    } catch (error) {
      deps.log.error('phone referral failed', { error: error instanceof Error ? error.name : 'unknown' });
      return { result: 'error' };
    } finally {
      clearTimeout(timer);
    }
  };

/** The first problem, for the flow to branch on and re-ask; messages never repeat what was keyed. */
function invalidResult(issues: { path: string; message: string }[]): ConnectContactFlowResult {
  const [first] = issues;
  return {
    result: 'invalid',
    field: first?.path ?? '',
    message: first ? `${first.path} ${first.message}` : 'invalid',
    fields: [...new Set(issues.map((issue) => issue.path))].join(','),
  };
}

export const handler = lambdaEntry(makeHandler);
