import { Annotations, App, Tags } from 'aws-cdk-lib';
import { applyCompliancePacks } from './compliance.ts';
import { functions } from './definition.ts';
import { DeploymentSettingsError, readDeploymentSettings } from './deployment-settings.ts';
import { DutylineStack } from './stack.ts';

const app = new App();

// Every account-level setting is checked before anything is built (infra/deployment-settings.ts).
let read: ReturnType<typeof readDeploymentSettings>;
try {
  read = readDeploymentSettings(
    (name) => app.node.tryGetContext(name),
    Object.values(functions).map((fn) => fn.reservedConcurrency),
  );
} catch (error) {
  if (!(error instanceof DeploymentSettingsError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const { settings, warnings } = read;

// Environment-agnostic on purpose: one template, synthesized offline, deployable to any account.
const stack = new DutylineStack(app, 'Dutyline', {
  description: 'dutyline: out-of-hours emergency referral line for AMHP services',
  smsOriginationIdentity: settings.smsOriginationIdentity,
  domainName: settings.domainName,
  alarmEmail: settings.alarmEmail,
  publicBaseUrl: settings.publicBaseUrl,
  authDomainPrefix: settings.authDomainPrefix,
  connectInstanceArn: settings.connectInstanceArn,
  reservedConcurrency: settings.reservedConcurrency,
  canaryScheduleMinutes: settings.canaryScheduleMinutes,
  canaryPhone: settings.canaryPhone,
});
// Each warning begins with its setting's name, which is also its id for `--strict` acknowledgement.
for (const warning of warnings) Annotations.of(stack).addWarningV2(`dutyline:${warning.split(' ')[0] ?? 'setting'}`, warning);
Tags.of(stack).add('application', 'dutyline');
applyCompliancePacks(app);
