import { definitionKeyMetadata } from '../../infra/constructs/definition-keys.ts';
import * as definition from '../../infra/definition.ts';

/**
 * What a deployment defines, in definition keys rather than physical names, sorted, so that the
 * synthesized template, infra/definition.ts and the local runtime can be compared with `toEqual`.
 */
export interface InfrastructureDescription {
  tables: {
    key: string;
    partitionKey: string;
    sortKey: string;
    indexes: { name: string; partitionKey: string; sortKey: string }[];
    /** The epoch-seconds attribute by which expired items are deleted (DynamoDB's TTL; the local sweep). */
    timeToLive: string | null;
  }[];
  queues: { key: string; visibilityTimeoutSeconds: number; maxReceiveCount: number }[];
  queueTriggers: { queue: string; function: string; batchSize: number; reportBatchItemFailures: boolean }[];
  topicTriggers: { topic: string; function: string }[];
  scheduleTriggers: { function: string; everyMinutes: number }[];
  routes: { method: string; path: string; function: string; auth: 'jwt' | 'none' }[];
}

type Json = Record<string, unknown>;

interface TemplateResource {
  Type: string;
  Properties?: Json;
  Metadata?: Json;
}

/** Describes a synthesized CloudFormation template (`Template.toJSON()` or cdk.out's JSON). */
export function describeTemplate(template: Record<string, unknown>): InfrastructureDescription {
  const resources = (template.Resources ?? {}) as Record<string, TemplateResource>;
  const ofType = (type: string): Json[] =>
    Object.values(resources)
      .filter((resource) => resource.Type === type)
      .map((resource) => resource.Properties ?? {});
  const keyOf = (logicalId: string | undefined): string | undefined => {
    const key = logicalId === undefined ? undefined : resources[logicalId]?.Metadata?.[definitionKeyMetadata];
    return typeof key === 'string' ? key : undefined;
  };
  const keyed = (type: string) =>
    Object.entries(resources).flatMap(([logicalId, resource]) => {
      const key = keyOf(logicalId);
      return resource.Type === type && key !== undefined ? [{ key, properties: resource.Properties ?? {} }] : [];
    });

  const tables = keyed('AWS::DynamoDB::Table').map(({ key, properties }) => ({
    key,
    ...keySchema(properties.KeySchema),
    indexes: arrayOf(properties.GlobalSecondaryIndexes).map((index) => ({
      name: String(index.IndexName),
      ...keySchema(index.KeySchema),
    })),
    timeToLive: timeToLiveOf(properties.TimeToLiveSpecification),
  }));

  const queues = keyed('AWS::SQS::Queue').map(({ key, properties }) => ({
    key,
    // CloudFormation's defaults when a property is left out.
    visibilityTimeoutSeconds: Number(properties.VisibilityTimeout ?? 30),
    maxReceiveCount: Number(objectOf(properties.RedrivePolicy).maxReceiveCount ?? 0),
  }));

  const queueTriggers = ofType('AWS::Lambda::EventSourceMapping').flatMap((p) => {
    const queue = keyOf(referencedId(p.EventSourceArn));
    const fn = keyOf(referencedId(p.FunctionName));
    if (queue === undefined || fn === undefined) return [];
    const responseTypes = Array.isArray(p.FunctionResponseTypes) ? p.FunctionResponseTypes : [];
    return [
      {
        queue,
        function: fn,
        batchSize: Number(p.BatchSize ?? 10),
        reportBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
      },
    ];
  });

  const topicTriggers = ofType('AWS::SNS::Subscription').flatMap((p) => {
    const topic = keyOf(referencedId(p.TopicArn));
    const fn = keyOf(referencedId(p.Endpoint));
    return p.Protocol === 'lambda' && topic !== undefined && fn !== undefined ? [{ topic, function: fn }] : [];
  });

  const scheduleTriggers = ofType('AWS::Events::Rule').flatMap((p) => {
    const minutes = /^rate\((\d+) minutes?\)$/.exec(String(p.ScheduleExpression ?? ''))?.[1];
    if (minutes === undefined || p.State === 'DISABLED') return [];
    return arrayOf(p.Targets).flatMap((target) => {
      const fn = keyOf(referencedId(target.Arn));
      return fn === undefined ? [] : [{ function: fn, everyMinutes: Number(minutes) }];
    });
  });

  const routes = ofType('AWS::ApiGatewayV2::Route').flatMap((p) => {
    const [method = '', path = ''] = String(p.RouteKey).split(' ');
    const integration = resources[integrationIdOf(p.Target) ?? ''];
    const fn = keyOf(referencedId(integration?.Properties?.IntegrationUri));
    if (fn === undefined) return [];
    return [{ method, path, function: fn, auth: p.AuthorizationType === 'JWT' ? ('jwt' as const) : ('none' as const) }];
  });

  return normalise({ tables, queues, queueTriggers, topicTriggers, scheduleTriggers, routes });
}

/** The same description, straight from infra/definition.ts: what every deployment must define. */
export function describeDefinition(): InfrastructureDescription {
  return normalise({
    tables: Object.entries(definition.tables).map(([key, table]) => ({
      key,
      partitionKey: table.partitionKey,
      sortKey: table.sortKey,
      indexes: table.indexes.map(({ name, partitionKey, sortKey }) => ({ name, partitionKey, sortKey })),
      timeToLive: table.timeToLiveAttribute ?? null,
    })),
    queues: Object.entries(definition.queues).map(([key, queue]) => ({
      key,
      visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
      maxReceiveCount: queue.maxReceiveCount,
    })),
    queueTriggers: definition.queueTriggers.map((trigger) => ({
      queue: trigger.queue,
      function: trigger.function,
      batchSize: trigger.batchSize,
      reportBatchItemFailures: true,
    })),
    topicTriggers: definition.topicTriggers.map(({ topic, function: fn }) => ({ topic, function: fn })),
    scheduleTriggers: definition.scheduleTriggers.map(({ function: fn, everyMinutes }) => ({ function: fn, everyMinutes })),
    routes: definition.routes.map(({ method, path, function: fn, auth }) => ({ method, path, function: fn, auth })),
  });
}

/** Sorted, so that neither the template's nor the definition's order matters. */
export function normalise(description: InfrastructureDescription): InfrastructureDescription {
  const by =
    <T>(key: (item: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  return {
    tables: description.tables
      .map((table) => ({ ...table, indexes: [...table.indexes].sort(by((index) => index.name)) }))
      .sort(by((table) => table.key)),
    queues: [...description.queues].sort(by((queue) => queue.key)),
    queueTriggers: [...description.queueTriggers].sort(by((t) => `${t.queue} ${t.function}`)),
    topicTriggers: [...description.topicTriggers].sort(by((t) => `${t.topic} ${t.function}`)),
    scheduleTriggers: [...description.scheduleTriggers].sort(by((t) => `${t.function} ${t.everyMinutes}`)),
    routes: [...description.routes].sort(by((route) => `${route.path} ${route.method}`)),
  };
}

function keySchema(schema: unknown): { partitionKey: string; sortKey: string } {
  const named = (type: string) => String(arrayOf(schema).find((element) => element.KeyType === type)?.AttributeName ?? '');
  return { partitionKey: named('HASH'), sortKey: named('RANGE') };
}

function timeToLiveOf(specification: unknown): string | null {
  const { AttributeName: name, Enabled: enabled } = objectOf(specification);
  return enabled === true && typeof name === 'string' ? name : null;
}

function objectOf(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function arrayOf(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(objectOf) : [];
}

/** The logical id behind `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attribute] }`. */
function referencedId(value: unknown): string | undefined {
  const { Ref: ref, 'Fn::GetAtt': getAtt } = objectOf(value);
  if (typeof ref === 'string') return ref;
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/** A route's target is `integrations/{IntegrationId}`, written as an Fn::Join around a Ref. */
function integrationIdOf(target: unknown): string | undefined {
  if (typeof target === 'string') return target.replace(/^integrations\//, '');
  const join = objectOf(target)['Fn::Join'];
  if (!Array.isArray(join) || !Array.isArray(join[1])) return undefined;
  for (const part of join[1] as unknown[]) {
    const id = referencedId(part);
    if (id !== undefined) return id;
  }
  return undefined;
}
