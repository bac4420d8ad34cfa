/**
 * The resources that hold data (tables, queues, KMS keys, the user pool, secrets, the backup
 * vault) as CloudFormation sees them: logical id and the properties whose change replaces the
 * resource. `infra/stateful-resources.json` records them as last released
 * (`npm run stateful-record`); `upgradeProblems` says what a new template would break on update.
 */

// CloudFormation JSON is untyped; each field read below is checked by the comparison.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

export interface StatefulResource {
  type: string;
  /** Properties whose change makes CloudFormation replace the resource (or refuse the update). */
  identity: Json;
  /** Tables only: global secondary indexes by name, with their keys (CloudFormation adds or removes one per update). */
  indexes?: Record<string, Json>;
}

export type StatefulRecord = Record<string, StatefulResource>;

const pick = (properties: Json, names: string[]): Json =>
  Object.fromEntries(names.filter((name) => properties[name] !== undefined).map((name) => [name, properties[name]]));

/** Per type: the replacement-causing properties (from the CloudFormation resource reference). */
const replacedBy: Record<string, (properties: Json) => Json> = {
  'AWS::DynamoDB::Table': (p) => {
    const attributeType = (name: string) => (p.AttributeDefinitions ?? []).find((a: Json) => a.AttributeName === name)?.AttributeType;
    const keys = (p.KeySchema ?? []).map((k: Json) => ({ ...k, AttributeType: attributeType(k.AttributeName) }));
    return { ...pick(p, ['TableName', 'LocalSecondaryIndexes']), KeySchema: keys };
  },
  'AWS::SQS::Queue': (p) => pick(p, ['QueueName', 'FifoQueue']),
  'AWS::KMS::Key': (p) => pick(p, ['KeySpec', 'KeyUsage', 'MultiRegion']),
  'AWS::Cognito::UserPool': (p) => pick(p, ['UserPoolName', 'UsernameAttributes', 'AliasAttributes', 'Schema']),
  'AWS::SecretsManager::Secret': (p) => pick(p, ['Name']),
  'AWS::Backup::BackupVault': (p) => pick(p, ['BackupVaultName', 'EncryptionKeyArn']),
};

export const statefulTypes = Object.keys(replacedBy);

function indexesOf(properties: Json): Record<string, Json> {
  const attributeType = (name: string) => (properties.AttributeDefinitions ?? []).find((a: Json) => a.AttributeName === name)?.AttributeType;
  return Object.fromEntries(
    (properties.GlobalSecondaryIndexes ?? []).map((index: Json) => [
      index.IndexName,
      {
        KeySchema: index.KeySchema.map((k: Json) => ({ ...k, AttributeType: attributeType(k.AttributeName) })),
        Projection: index.Projection,
      },
    ]),
  );
}

/** The stateful resources of a synthesized template, by logical id, sorted. */
export function statefulResourcesOf(template: Json): StatefulRecord {
  const record: StatefulRecord = {};
  for (const id of Object.keys(template.Resources ?? {}).sort()) {
    const resource = template.Resources[id] as Json;
    const identity = replacedBy[resource.Type];
    if (!identity) continue;
    const properties = (resource.Properties ?? {}) as Json;
    record[id] = {
      type: resource.Type,
      identity: identity(properties),
      ...(resource.Type === 'AWS::DynamoDB::Table' ? { indexes: indexesOf(properties) } : {}),
    };
  }
  return record;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What updating a stack deployed from `record` to `current` would do that loses data or fails:
 * a recorded resource gone or renamed (a new logical id is a new resource, the old one deleted),
 * a replacing property changed, or a table given more than one index change in one update
 * (CloudFormation creates or deletes one global secondary index per update; changing one's keys
 * is two). New resources are fine: they are created.
 */
export function upgradeProblems(record: StatefulRecord, current: StatefulRecord): string[] {
  const problems: string[] = [];
  for (const [id, recorded] of Object.entries(record)) {
    const now = current[id];
    if (!now) {
      problems.push(`${id} (${recorded.type}) is gone: renamed or removed, CloudFormation would delete the resource and its data`);
      continue;
    }
    if (now.type !== recorded.type) problems.push(`${id} changed type from ${recorded.type} to ${now.type}: it would be replaced`);
    for (const key of new Set([...Object.keys(recorded.identity), ...Object.keys(now.identity)])) {
      if (!same(recorded.identity[key], now.identity[key])) {
        problems.push(`${id} (${recorded.type}) changes ${key}: CloudFormation would replace it, losing its data`);
      }
    }
    if (recorded.indexes || now.indexes) {
      const before = recorded.indexes ?? {};
      const after = now.indexes ?? {};
      const added = Object.keys(after).filter((name) => !before[name]);
      const removed = Object.keys(before).filter((name) => !after[name]);
      const changed = Object.keys(before).filter((name) => after[name] && !same(before[name], after[name]));
      const steps = added.length + removed.length + 2 * changed.length;
      if (steps > 1) {
        problems.push(
          `${id} needs ${steps} index changes in one update (added ${added.join(', ') || 'none'}; removed ${removed.join(', ') || 'none'}; ` +
            `changed ${changed.join(', ') || 'none'}): CloudFormation makes one per update, so release them one at a time`,
        );
      }
    }
  }
  return problems;
}
