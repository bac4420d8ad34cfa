import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { definitionKeyMetadata } from '../../infra/constructs/definition-keys.ts';
import * as definition from '../../infra/definition.ts';
import type { FunctionName } from '../../infra/definition.ts';
import { DutylineStack, type DutylineStackProps } from '../../infra/stack.ts';

// CloudFormation JSON is untyped; the assertions below are what check its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Json;
const CONNECT_INSTANCE = 'arn:aws:connect:eu-west-2:111122223333:instance/9a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

function synthesize(props: DutylineStackProps = {}): Template {
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new DutylineStack(app, 'Dutyline', props));
}

let wired: Template;
let plain: Template;

beforeAll(() => {
  wired = synthesize({ authDomainPrefix: 'dutyline-leeds', connectInstanceArn: CONNECT_INSTANCE });
  plain = synthesize();
});

const logicalIdOf = (template: Template, type: string, key: string) =>
  Object.entries(template.toJSON().Resources as Record<string, Json>).find(([, r]) => r.Type === type && r.Metadata?.[definitionKeyMetadata] === key)?.[0] ?? '';
const environmentOf = (template: Template, fn: FunctionName): Json =>
  (template.toJSON().Resources as Record<string, Json>)[logicalIdOf(template, 'AWS::Lambda::Function', fn)]?.Properties.Environment.Variables;
const functionsWith = (flag: 'webSessions' | 'webhookSecrets' | 'invokedByConnect') =>
  (Object.keys(definition.functions) as FunctionName[]).filter((name) => definition.functions[name][flag]);

describe('the web pages in AWS', () => {
  it('tell the functions that check session cookies the user pool, the web client and the hosted UI', () => {
    const userPool = Object.keys(wired.findResources('AWS::Cognito::UserPool'))[0];
    const client = Object.keys(wired.findResources('AWS::Cognito::UserPoolClient'))[0];
    expect(functionsWith('webSessions')).toContain('web');
    for (const name of functionsWith('webSessions')) {
      expect(environmentOf(wired, name), name).toMatchObject({
        [definition.settings.userPoolId]: { Ref: userPool },
        [definition.settings.userPoolClientId]: { Ref: client },
        [definition.settings.authDomainUrl]: { 'Fn::Join': ['', expect.arrayContaining(['https://', '.amazoncognito.com'])] },
      });
    }
    wired.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'dutyline-leeds' });
    expect(environmentOf(wired, 'createReferral')[definition.settings.userPoolId]).toBeUndefined();
  });

  it('leave web sign-in off, and create no hosted UI domain, unless a domain prefix is given', () => {
    plain.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    expect(environmentOf(plain, 'web')[definition.settings.authDomainUrl]).toBeUndefined();
    expect(environmentOf(plain, 'web')[definition.settings.userPoolId]).toBeDefined();
  });

  it('send the hosted UI back to {publicBaseUrl}/auth/callback', () => {
    wired.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: [{ 'Fn::Join': ['', Match.arrayWith(['/auth/callback'])] }],
    });
  });
});

describe('telephony in AWS', () => {
  it('lets only the webhook function read the integrators secrets, named in its environment', () => {
    const secrets = Object.entries(wired.findResources('AWS::SecretsManager::Secret')).filter(([, r]) => String(r.Properties.Description).includes('telephony'));
    expect(secrets).toHaveLength(1);
    const [secretId] = secrets[0]!;
    expect(functionsWith('webhookSecrets')).toEqual(['webhookIntake']);
    expect(environmentOf(wired, 'webhookIntake')[definition.settings.webhookSecretsArn]).toEqual({ Ref: secretId });
    const policies = { ...wired.findResources('AWS::IAM::Policy'), ...wired.findResources('AWS::IAM::ManagedPolicy') };
    const readers = Object.values(policies).filter((policy) =>
      JSON.stringify(policy.Properties.PolicyDocument.Statement).includes(`"Ref":"${secretId}"`),
    );
    expect(readers).toHaveLength(1);
    for (const name of Object.keys(definition.functions) as FunctionName[]) {
      if (name !== 'webhookIntake') expect(environmentOf(wired, name)[definition.settings.webhookSecretsArn]).toBeUndefined();
    }
  });

  it('lets the given Amazon Connect instance, and nothing else, invoke the contact-flow function', () => {
    const fn = logicalIdOf(wired, 'AWS::Lambda::Function', 'connectIntake');
    wired.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
      Principal: 'connect.amazonaws.com',
      SourceArn: CONNECT_INSTANCE,
    });
    wired.hasResourceProperties('AWS::Connect::IntegrationAssociation', {
      InstanceId: CONNECT_INSTANCE,
      IntegrationType: 'LAMBDA_FUNCTION',
      IntegrationArn: { 'Fn::GetAtt': [fn, 'Arn'] },
    });
    plain.resourceCountIs('AWS::Connect::IntegrationAssociation', 0);
  });

  it('gives the contact-flow function no more than Connect waits for', () => {
    expect(definition.functions.connectIntake.timeoutSeconds).toBeLessThanOrEqual(8);
  });
});
