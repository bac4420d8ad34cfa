import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, RecursiveLoop, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { bundling } from '../bundling.ts';
import type { FunctionDefinition } from '../definition.ts';

export interface DutylineFunctionProps {
  definition: FunctionDefinition;
  /** Repository root: definition entries and package-lock.json are relative to it. */
  repoRoot: string;
  environment: Record<string, string>;
  /** The function sends to the queue that triggers it (re-delayed timers), which Lambda would otherwise cut off. */
  allowRecursiveLoop?: boolean;
}

/** One handler module bundled with everything it imports, AWS SDK included, so its size is honest. */
export class DutylineFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: DutylineFunctionProps) {
    const { definition, repoRoot } = props;
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
      logGroup: new LogGroup(scope, `${id}Logs`, {
        retention: RetentionDays.THREE_MONTHS,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        format: OutputFormat.ESM,
        target: bundling.target,
        minify: bundling.minify,
        sourceMap: true,
        mainFields: [...bundling.mainFields],
        banner: bundling.banner,
        externalModules: [],
      },
    });
  }
}
