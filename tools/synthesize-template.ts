import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { DutylineStack } from '../infra/stack.ts';

/** The stack's template as `cdk synth` makes it (cdk.json's feature flags), without bundling the functions. */
export function synthesizeTemplate(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new DutylineStack(app, 'Dutyline');
  return app.synth().getStackArtifact(stack.artifactId).template as Record<string, unknown>;
}
