/**
 * The account-level settings a deployment depends on, read from CDK context and checked at synth:
 * a value that cannot work stops `cdk synth` with every problem named at once; a missing one the
 * line can run without (with less) is a warning `cdk synth` prints (and `--strict` refuses).
 */

/** Per-function reserved concurrency: `off` (the default, for new accounts whose quota is 10) or a number. */
export type ReservedConcurrency = 'off' | number;

/** AWS keeps 100 concurrent executions unreserved in every account; reservations come out of the rest. */
export const LAMBDA_UNRESERVED_MINIMUM = 100;
/** An SQS event source's maximum concurrency is at least 2, so a reservation below that would throttle it. */
const MIN_RESERVED = 2;
const MAX_RESERVED = 1000;

export interface DeploymentSettings {
  smsOriginationIdentity?: string;
  domainName?: string;
  alarmEmail?: string;
  publicBaseUrl?: string;
  authDomainPrefix?: string;
  connectInstanceArn?: string;
  reservedConcurrency: ReservedConcurrency;
  /** The account's Lambda concurrency quota (`aws lambda get-account-settings`), when given: reservations are checked against it. */
  lambdaConcurrencyQuota?: number;
  /** How often the canary runs (shared/app/canary.ts), in minutes. */
  canaryScheduleMinutes: number;
  /** The canary team's phone: an End User Messaging simulator number, else one the operator holds. */
  canaryPhone?: string;
}

export const CANARY_DEFAULT_SCHEDULE_MINUTES = 15;
/** A heartbeat rarer than hourly would leave the line untested for too long; the alarm's period is twice this. */
const CANARY_MAX_SCHEDULE_MINUTES = 60;

export class DeploymentSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`dutyline cannot be synthesized with these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DeploymentSettingsError';
  }
}

/** `-c reservedConcurrency=off|<2..1000>`; absent or blank is off. Throws with the reason otherwise. */
export function reservedConcurrencySetting(value: unknown): ReservedConcurrency {
  if (value === undefined || value === null || value === '' || value === false || value === 'off') return 'off';
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < MIN_RESERVED || number > MAX_RESERVED) {
    throw new DeploymentSettingsError([
      `reservedConcurrency must be "off" or a whole number from ${MIN_RESERVED} to ${MAX_RESERVED} (each function reserves that many; ` +
        `an SQS trigger needs at least ${MIN_RESERVED}), not ${JSON.stringify(value)}`,
    ]);
  }
  return number;
}

/** `-c canaryScheduleMinutes=<1..60>`; absent or blank is 15. Throws with the reason otherwise. */
export function canaryScheduleSetting(value: unknown): number {
  if (value === undefined || value === null || value === '') return CANARY_DEFAULT_SCHEDULE_MINUTES;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < 1 || number > CANARY_MAX_SCHEDULE_MINUTES) {
    throw new DeploymentSettingsError([
      `canaryScheduleMinutes must be a whole number of minutes from 1 to ${CANARY_MAX_SCHEDULE_MINUTES} (how often the canary sends its synthetic referral), not ${JSON.stringify(value)}`,
    ]);
  }
  return number;
}

const ukMobile = /^\+447\d{9}$/;
const e164Uk = /^\+44\d{10}$/;
const senderId = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;
const identityArn = /^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number|pool|sender-id)\/\S+$/;
const identityId = /^(phone|pool)-[0-9a-f]{32}$/;
// Cognito: lower-case letters, digits and hyphens, not starting or ending with a hyphen, no reserved words.
const cognitoPrefix = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const hostname = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const connectArn = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/;

/**
 * Reads and checks every setting. `context` is `app.node.tryGetContext`. Returns the settings and
 * the warnings to print; throws a DeploymentSettingsError naming every bad value.
 */
export function readDeploymentSettings(context: (name: string) => unknown, functionReservations: readonly (number | undefined)[]): {
  settings: DeploymentSettings;
  warnings: string[];
} {
  const problems: string[] = [];
  const warnings: string[] = [];
  const text = (name: string): string | undefined => {
    const value = context(name);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') {
      problems.push(`${name} must be text, not ${JSON.stringify(value)}`);
      return undefined;
    }
    return value.trim() || undefined;
  };

  const sms = text('smsOriginationIdentity');
  if (sms === undefined) {
    warnings.push(
      'smsOriginationIdentity is not set: SMS go by SNS direct publish, AMHPs cannot reply 1/2 (links only), and UK ' +
        'destinations need an origination identity in End User Messaging SMS. Set -c smsOriginationIdentity=<UK long code, phone-…, pool-… or ARN>.',
    );
  } else if (senderId.test(sms) && !e164Uk.test(sms)) {
    warnings.push(`smsOriginationIdentity ${sms} is a sender id: it cannot receive replies, so AMHPs can accept by link only. Use a UK long code or a pool for two-way SMS.`);
  } else if (!e164Uk.test(sms) && !identityArn.test(sms) && !identityId.test(sms)) {
    problems.push(
      `smsOriginationIdentity must be a UK number in E.164 (+44…, 12 digits), a phone number id (phone-…), a pool id (pool-…), ` +
        `a sender id or an End User Messaging SMS ARN, not ${JSON.stringify(sms)}`,
    );
  }

  const prefix = text('authDomainPrefix');
  if (prefix === undefined) {
    warnings.push('authDomainPrefix is not set: web sign-in is off (no referral form, AMHP or manager pages). Set -c authDomainPrefix=<prefix>.');
  } else if (!cognitoPrefix.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
    problems.push(
      `authDomainPrefix must be 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen, and must not ` +
        `contain "aws", "amazon" or "cognito" (Cognito refuses them), not ${JSON.stringify(prefix)}`,
    );
  }

  const domainName = text('domainName');
  if (domainName !== undefined && !hostname.test(domainName)) problems.push(`domainName must be a host name such as dutyline.example.org, not ${JSON.stringify(domainName)}`);

  const publicBaseUrl = text('publicBaseUrl')?.replace(/\/+$/, '');
  if (publicBaseUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(publicBaseUrl);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:' || url.search || url.hash) {
      problems.push(`publicBaseUrl must be an https:// address with no query (the links texted to AMHPs start with it), not ${JSON.stringify(publicBaseUrl)}`);
    }
  }

  const alarmEmail = text('alarmEmail');
  if (alarmEmail === undefined) warnings.push('alarmEmail is not set: alarms reach only the topic, nobody is emailed. Set -c alarmEmail=<operators’ address>.');
  else if (!email.test(alarmEmail)) problems.push(`alarmEmail must be an email address, not ${JSON.stringify(alarmEmail)}`);

  const connectInstanceArn = text('connectInstanceArn');
  if (connectInstanceArn !== undefined && !connectArn.test(connectInstanceArn)) {
    problems.push(`connectInstanceArn must be an Amazon Connect instance ARN (arn:aws:connect:<region>:<account>:instance/<id>), not ${JSON.stringify(connectInstanceArn)}`);
  }

  let canaryScheduleMinutes = CANARY_DEFAULT_SCHEDULE_MINUTES;
  try {
    canaryScheduleMinutes = canaryScheduleSetting(context('canaryScheduleMinutes'));
  } catch (error) {
    problems.push(...(error as DeploymentSettingsError).problems);
  }
  const canaryPhone = text('canaryPhone')?.replace(/\s+/g, '');
  if (canaryPhone === undefined) {
    warnings.push(
      'canaryPhone is not set: the canary team has no phone that can receive its pages, so the canary fails and its alarm fires. Set -c canaryPhone=<an ' +
        'End User Messaging simulator number of the account, else a UK mobile the operators hold> (README: the canary).',
    );
  } else if (!ukMobile.test(canaryPhone)) {
    problems.push(`canaryPhone must be a UK mobile number in E.164 (+447…, 12 digits after the +), not ${JSON.stringify(canaryPhone)}`);
  }

  let reservedConcurrency: ReservedConcurrency = 'off';
  try {
    reservedConcurrency = reservedConcurrencySetting(context('reservedConcurrency'));
  } catch (error) {
    problems.push(...(error as DeploymentSettingsError).problems);
  }

  let lambdaConcurrencyQuota: number | undefined;
  const quota = context('lambdaConcurrencyQuota');
  if (quota !== undefined && quota !== null && quota !== '') {
    lambdaConcurrencyQuota = Number(quota);
    if (!Number.isInteger(lambdaConcurrencyQuota) || lambdaConcurrencyQuota < 1) {
      problems.push(`lambdaConcurrencyQuota must be the account's whole-number Lambda concurrency quota, not ${JSON.stringify(quota)}`);
      lambdaConcurrencyQuota = undefined;
    }
  }
  if (reservedConcurrency !== 'off') {
    const total = totalReserved(reservedConcurrency, functionReservations);
    if (lambdaConcurrencyQuota === undefined) {
      warnings.push(
        `reservedConcurrency=${reservedConcurrency} reserves ${total} concurrent executions; the account's quota must be at least ` +
          `${total + LAMBDA_UNRESERVED_MINIMUM}. Give -c lambdaConcurrencyQuota=<aws lambda get-account-settings AccountLimit.ConcurrentExecutions> to check it here.`,
      );
    } else if (total + LAMBDA_UNRESERVED_MINIMUM > lambdaConcurrencyQuota) {
      problems.push(
        `reservedConcurrency=${reservedConcurrency} reserves ${total} concurrent executions, but the account's quota of ${lambdaConcurrencyQuota} ` +
          `leaves only ${Math.max(0, lambdaConcurrencyQuota - LAMBDA_UNRESERVED_MINIMUM)} to reserve (AWS keeps ${LAMBDA_UNRESERVED_MINIMUM} unreserved). ` +
          'Use reservedConcurrency=off, a smaller number, or ask AWS for a higher quota (Service Quotas, "Concurrent executions").',
      );
    }
  }

  if (problems.length > 0) throw new DeploymentSettingsError(problems);
  return {
    settings: {
      ...(sms ? { smsOriginationIdentity: sms } : {}),
      ...(domainName ? { domainName } : {}),
      ...(alarmEmail ? { alarmEmail } : {}),
      ...(publicBaseUrl ? { publicBaseUrl } : {}),
      ...(prefix ? { authDomainPrefix: prefix } : {}),
      ...(connectInstanceArn ? { connectInstanceArn } : {}),
      reservedConcurrency,
      ...(lambdaConcurrencyQuota ? { lambdaConcurrencyQuota } : {}),
      canaryScheduleMinutes,
      ...(canaryPhone && ukMobile.test(canaryPhone) ? { canaryPhone } : {}),
    },
    warnings,
  };
}

/** What every function reserves together: each its definition's own number, else the setting. */
export function totalReserved(setting: number, functionReservations: readonly (number | undefined)[]): number {
  return functionReservations.reduce<number>((sum, own) => sum + (own ?? setting), 0);
}
