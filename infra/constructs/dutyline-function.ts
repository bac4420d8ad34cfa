import path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, RecursiveLoop, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { bundleDefines, bundling } from '../bundling.ts';
import type { FunctionDefinition } from '../definition.ts';
import type { ReservedConcurrency } from '../deployment-settings.ts';
import { FunctionRole } from './function-role.ts';
import { webAssetCommandHooks } from './web-asset-bundling.ts';

/** Pollers of an SQS trigger when nothing is reserved: the fewest Lambda allows, to stay inside a small account's quota. */
export const UNRESERVED_QUEUE_POLLERS = 2;

/** What a function reserves: its definition's own number, else the stack setting; nothing when the setting is off. */
export const reservationOf = (definition: FunctionDefinition, setting: ReservedConcurrency): number | undefined =>
  setting === 'off' ? undefined : (definition.reservedConcurrency ?? setting);

export interface DutylineFunctionProps {
  definition: FunctionDefinition;
  /** Repository root: definition entries and package-lock.json are relative to it. */
  repoRoot: string;
  environment: Record<string, string>;
  /** The function sends to the queue that triggers it (re-delayed timers), which Lambda would otherwise cut off. */
  allowRecursiveLoop?: boolean;
  /** Encrypts its log group. */
  key: IKey;
  /** Keeps asynchronous invocations that failed every retry (SNS, EventBridge). */
  deadLetterQueue?: IQueue;
  /** Without a dead-letter queue: how its failures are kept instead (the acknowledgement's reason). */
  failuresKeptBy?: string;
  /** Concurrency reserved for (and capping) it; none when the stack's `reservedConcurrency` is off. */
  reservedConcurrency: number | undefined;
}

/** One handler module bundled with everything it imports, the AWS SDK included (infra/bundling.ts). */
export class DutylineFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: DutylineFunctionProps) {
    const { definition, repoRoot } = props;
    const role = new FunctionRole(scope, `${id}Role`);
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.THREE_MONTHS,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    super(scope, id, {
      entry: path.join(repoRoot, definition.entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: definition.memoryMB,
      timeout: Duration.seconds(definition.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      recursiveLoop: props.allowRecursiveLoop ? RecursiveLoop.ALLOW : RecursiveLoop.TERMINATE,
      role,
      logGroup,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      environment: { ...props.environment, ...(bundling.nodeOptions.length > 0 ? { NODE_OPTIONS: bundling.nodeOptions.join(' ') } : {}) },
      bundling: {
        format: OutputFormat.ESM,
        target: bundling.target,
        minify: bundling.minify,
        sourceMap: bundling.sourceMap,
        sourcesContent: bundling.sourcesContent,
        mainFields: [...bundling.mainFields],
        banner: bundling.banner,
        define: bundleDefines(definition),
        externalModules: [...bundling.externalModules],
        ...(definition.webAssets ? { commandHooks: webAssetCommandHooks } : {}),
      },
    });
    // Its own log group only: no logs:CreateLogGroup, no other group.
    logGroup.grantWrite(role);
    if (props.deadLetterQueue?.encryptionMasterKey) {
      props.deadLetterQueue.encryptionMasterKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    }

    Validations.of(role.policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) support no resource-level permissions.',
    });
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5']) {
      Validations.of(this).acknowledge({
        id: `${pack}-LambdaInsideVPC`,
        reason:
          'The function calls only AWS service APIs (DynamoDB, SQS, SNS, KMS, Secrets Manager) over TLS with IAM ' +
          'authorisation; there is no private network resource to reach or protect. A VPC would add interface ' +
          'endpoints in every AZ (or a NAT) and cold-start latency on the emergency path without narrowing exposure.',
      });
      if (props.reservedConcurrency === undefined) {
        Validations.of(this).acknowledge({
          id: `${pack}-LambdaConcurrency`,
          reason:
            'Reserved concurrency is off (the reservedConcurrency context setting, infra/deployment-settings.ts): a new ' +
            "account's Lambda quota is often 10 and AWS keeps 100 unreserved, so any reservation fails the deploy. The " +
            'functions share the account pool; SQS pollers are capped at 2 each, and effects are claimed, so overlapping ' +
            'runs never send twice. Set -c reservedConcurrency=<n> once the quota allows.',
        });
      }
      if (!props.deadLetterQueue && props.failuresKeptBy) {
        Validations.of(this).acknowledge({ id: `${pack}-LambdaDLQ`, reason: props.failuresKeptBy });
      }
    }
  }
}
