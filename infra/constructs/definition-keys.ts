import type { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * CloudFormation Metadata that ties a synthesized resource back to its key in infra/definition.ts,
 * so a template can be compared with the definition (and with the local runtime) without relying
 * on generated logical ids or physical names.
 */
export const definitionKeyMetadata = 'dutyline:key';
/** On a dead-letter queue: the key of the queue (or function) whose failures it holds. */
export const deadLetterForMetadata = 'dutyline:deadLetterFor';

export function markDefinitionKey(construct: IConstruct, key: string, metadata = definitionKeyMetadata): void {
  (construct.node.defaultChild as CfnResource).addMetadata(metadata, key);
}

/** `Object.entries` that keeps the definition's key type. */
export function entriesOf<K extends string, V>(record: Record<K, V>): [K, V][] {
  return Object.entries(record) as [K, V][];
}

export function mapRecord<K extends string, V, R>(record: Record<K, V>, map: (value: V, key: K) => R): Record<K, R> {
  return Object.fromEntries(entriesOf(record).map(([key, value]) => [key, map(value, key)])) as Record<K, R>;
}

/** Construct id from a definition key: `escalationTimers` + `Queue` → `EscalationTimersQueue`. */
export function constructId(key: string, suffix = ''): string {
  return `${key.charAt(0).toUpperCase()}${key.slice(1)}${suffix}`;
}
