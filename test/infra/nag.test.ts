import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { applyCompliancePacks } from '../../infra/compliance.ts';
import { DutylineStack, type DutylineStackProps } from '../../infra/stack.ts';

/**
 * The stack passes cdk-nag's AwsSolutions, HIPAA Security and NIST 800-53 rev 5 packs, as
 * `cdk synth` runs them (infra/app.ts): a finding makes synthesis throw. What is accepted rather
 * than fixed is acknowledged on the resource it concerns, each time with its reason.
 */

function appWithPacks(): App {
  // Bundling skipped: the rules read the template, not the function code.
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  applyCompliancePacks(app);
  return app;
}

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
  construct: IConstruct;
}

function acknowledgementsIn(scope: IConstruct): Acknowledgement[] {
  const found = new Map<string, Acknowledgement>();
  for (const construct of scope.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        const id = key.replace(/^annotation::/i, '');
        found.set(`${construct.node.path} ${id}`, { path: construct.node.path, id, reason, construct });
      }
    }
  }
  return [...found.values()];
}

/** The rule, without the finding it is about: `AwsSolutions-IAM5[Resource::*]` → `AwsSolutions-IAM5`. */
const ruleOf = (id: string) => id.replace(/\[.*$/, '');

const deployments: [string, DutylineStackProps][] = [
  ['with no context', {}],
  [
    'with every context value, the SMS identity a pool id',
    {
      publicBaseUrl: 'https://dutyline.example.org',
      domainName: 'dutyline.example.org',
      alarmEmail: 'edt-ops@example.org',
      smsOriginationIdentity: 'pool-0123456789abcdef',
    },
  ],
  ['with the SMS identity a phone number', { smsOriginationIdentity: '+447700900000' }],
  ['with reserved concurrency on', { reservedConcurrency: 10 }],
];

describe('cdk-nag', () => {
  it.each(deployments)('passes AwsSolutions, HIPAA Security and NIST 800-53 rev 5 %s', (_name, props) => {
    const app = appWithPacks();
    new DutylineStack(app, 'Dutyline', props);
    expect(() => app.synth()).not.toThrow();
  });

  it('stops synthesis on a finding (here an unencrypted queue with no dead-letter queue)', () => {
    const app = appWithPacks();
    new Queue(new Stack(app, 'Careless'), 'Queue');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });

  describe('acknowledgements', () => {
    const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    const stack = new DutylineStack(app, 'Dutyline', { smsOriginationIdentity: '+447700900000' });
    const acknowledgements = acknowledgementsIn(app);

    it('are made on the resource they concern (or the construct that owns it), never on the app or the stack', () => {
      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const { construct, path } of acknowledgements) {
        expect(construct, path).not.toBe(stack);
        expect(construct, path).not.toBe(app);
        const resources = construct.node.findAll().filter((c) => CfnResource.isCfnResource(c));
        expect(resources.length, `${path} holds a resource`).toBeGreaterThan(0);
        expect(resources.length, `${path} is narrow`).toBeLessThanOrEqual(4);
      }
    });

    it('each carry a reason of their own', () => {
      for (const { path, id, reason } of acknowledgements) {
        expect(reason.length, `${path} ${id}`).toBeGreaterThan(60);
      }
    });

    it('are for these rules only: a new one is a decision to review, not a way round a finding', () => {
      expect([...new Set(acknowledgements.map(({ id }) => ruleOf(id)))].sort()).toEqual([
        // A public route: /health, signed accept links, signed telephony webhooks, the web pages.
        'AwsSolutions-APIG4',
        // AWS Backup's own service-role policies.
        'AwsSolutions-IAM4',
        // X-Ray and SNS direct publish to a phone number have no resource ARN; a phone-number identity.
        'AwsSolutions-IAM5',
        // The accept-link signing key: rotating it would void the links in flight.
        'AwsSolutions-SMG4',
        // Reserved concurrency off by default (a new account's quota is too small for any reservation).
        'HIPAA.Security-LambdaConcurrency',
        // Synchronous functions (API, Connect), SQS consumers (their queue's DLQ), the schedule.
        'HIPAA.Security-LambdaDLQ',
        // Functions that reach only AWS APIs.
        'HIPAA.Security-LambdaInsideVPC',
        'HIPAA.Security-SecretsManagerRotationEnabled',
        'NIST.800.53.R5-LambdaConcurrency',
        'NIST.800.53.R5-LambdaDLQ',
        'NIST.800.53.R5-LambdaInsideVPC',
        'NIST.800.53.R5-SecretsManagerRotationEnabled',
      ]);
    });

    it('acknowledge a public route only where the definition says why it is public', () => {
      const publicRoutes = acknowledgements.filter(({ id }) => id === 'AwsSolutions-APIG4');
      for (const { reason } of publicRoutes) expect(reason).toMatch(/^(GET|POST|PUT) \S+ has no authorizer by design: .+/);
    });
  });
});
