import { App, Tags } from 'aws-cdk-lib';
import { applyCompliancePacks } from './compliance.ts';
import { DutylineStack } from './stack.ts';

const app = new App();

/** Optional `-c name=value` / cdk.json context; blank counts as absent. */
function optionalContext(name: string): string | undefined {
  const value: unknown = app.node.tryGetContext(name);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context ${name} must be a string`);
  return value.trim() || undefined;
}

// Environment-agnostic on purpose: one template, synthesized offline, deployable to any account.
const stack = new DutylineStack(app, 'Dutyline', {
  description: 'dutyline: out-of-hours emergency referral line for AMHP services',
  smsOriginationIdentity: optionalContext('smsOriginationIdentity'),
  domainName: optionalContext('domainName'),
  alarmEmail: optionalContext('alarmEmail'),
  publicBaseUrl: optionalContext('publicBaseUrl')?.replace(/\/+$/, ''),
  authDomainPrefix: optionalContext('authDomainPrefix'),
  connectInstanceArn: optionalContext('connectInstanceArn'),
});
Tags.of(stack).add('application', 'dutyline');
applyCompliancePacks(app);
