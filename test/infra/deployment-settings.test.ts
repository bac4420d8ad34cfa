import { describe, expect, it } from 'vitest';
import { functions } from '../../infra/definition.ts';
import { DeploymentSettingsError, readDeploymentSettings } from '../../infra/deployment-settings.ts';

/** The account-level settings `cdk synth` checks (infra/app.ts reads them from context). */
const reservations = Object.values(functions).map((fn) => fn.reservedConcurrency);
const read = (context: Record<string, unknown>) => readDeploymentSettings((name) => context[name], reservations);
const problemsOf = (context: Record<string, unknown>): string[] => {
  try {
    read(context);
  } catch (error) {
    if (error instanceof DeploymentSettingsError) return error.problems;
    throw error;
  }
  return [];
};

const complete = {
  smsOriginationIdentity: 'pool-0123456789abcdef0123456789abcdef',
  authDomainPrefix: 'dutyline-leeds',
  alarmEmail: 'edt-ops@example.org',
  publicBaseUrl: 'https://dutyline.example.org/',
  canaryPhone: '+447700900555',
};

describe('deployment settings', () => {
  it('accept a complete production set with no warning, reserved concurrency off', () => {
    const { settings, warnings } = read(complete);
    expect(warnings).toEqual([]);
    expect(settings).toMatchObject({ ...complete, publicBaseUrl: 'https://dutyline.example.org', reservedConcurrency: 'off', canaryScheduleMinutes: 15 });
  });

  it('warn, naming each setting, of what a deployment without it cannot do', () => {
    const { warnings } = read({});
    expect(warnings.map((w) => w.split(' ')[0])).toEqual(['smsOriginationIdentity', 'authDomainPrefix', 'alarmEmail', 'canaryPhone']);
    expect(warnings[0]).toMatch(/cannot reply/);
  });

  it('warn that a sender id cannot take replies', () => {
    expect(read({ ...complete, smsOriginationIdentity: 'DUTYLINE' }).warnings).toEqual([expect.stringMatching(/sender id: it cannot receive replies/)]);
  });

  it('name every bad value at once, with what it must be', () => {
    const problems = problemsOf({
      smsOriginationIdentity: '07700 900000',
      authDomainPrefix: 'Cognito-Leeds',
      alarmEmail: 'ops',
      publicBaseUrl: 'http://dutyline.example.org',
      connectInstanceArn: 'instance/123',
      domainName: 'not a host',
      reservedConcurrency: '1',
      canaryScheduleMinutes: '0',
      canaryPhone: '0113 496 0000',
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'smsOriginationIdentity',
      'authDomainPrefix',
      'domainName',
      'publicBaseUrl',
      'alarmEmail',
      'connectInstanceArn',
      'canaryScheduleMinutes',
      'canaryPhone',
      'reservedConcurrency',
    ]);
    expect(problems[1]).toMatch(/must not contain "aws", "amazon" or "cognito"/);
  });

  it('run the canary every 1 to 60 minutes, 15 unless canaryScheduleMinutes says otherwise', () => {
    expect(read({ ...complete, canaryScheduleMinutes: '5' }).settings.canaryScheduleMinutes).toBe(5);
    expect(read({ ...complete, canaryScheduleMinutes: 60 }).settings.canaryScheduleMinutes).toBe(60);
    for (const bad of ['61', '2.5', 'often', -1]) {
      expect(problemsOf({ ...complete, canaryScheduleMinutes: bad }), String(bad)).toEqual([expect.stringMatching(/^canaryScheduleMinutes must be a whole number of minutes from 1 to 60/)]);
    }
  });

  it('accept a UK long code, a phone number id and an End User Messaging ARN as the SMS identity', () => {
    for (const identity of ['+447700900000', 'phone-0123456789abcdef0123456789abcdef', 'arn:aws:sms-voice:eu-west-2:123456789012:pool/pool-0123456789abcdef0123456789abcdef']) {
      expect(problemsOf({ ...complete, smsOriginationIdentity: identity }), identity).toEqual([]);
    }
  });

  it('check reserved concurrency against the account quota, keeping the 100 AWS leaves unreserved', () => {
    const own = reservations.filter((r) => r !== undefined).reduce((a, b) => a + b, 0);
    const total = reservations.filter((r) => r === undefined).length * 10 + own;
    expect(problemsOf({ ...complete, reservedConcurrency: '10', lambdaConcurrencyQuota: String(total + 99) })).toEqual([
      expect.stringMatching(new RegExp(`reserves ${total} concurrent executions, but the account's quota of ${total + 99} leaves only ${total - 1}`)),
    ]);
    expect(read({ ...complete, reservedConcurrency: '10', lambdaConcurrencyQuota: String(total + 100) }).settings.reservedConcurrency).toBe(10);
    expect(read({ ...complete, reservedConcurrency: 10 }).warnings).toEqual([expect.stringMatching(`quota must be at least ${total + 100}`)]);
    // Off reserves nothing, so even a quota of 10 is enough.
    expect(problemsOf({ ...complete, lambdaConcurrencyQuota: '10' })).toEqual([]);
  });
});
