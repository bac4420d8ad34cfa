/**
 * A small JSON Schema (2020-12, as OpenAPI 3.1 and `z.toJSONSchema` write it) checker for tests:
 * the keywords the dutyline document uses, and an error for any keyword it does not know, so a
 * schema it cannot check is never passed by default. Refs resolve within one root document.
 */
type Schema = Record<string, unknown> | boolean;

/** Keywords that describe and never constrain. */
const annotations = new Set(['description', 'examples', 'default', 'title', 'deprecated', 'readOnly', 'writeOnly', 'id', '$schema', 'format', 'contentEncoding', 'contentMediaType', '$defs', 'components']);
const checked = new Set([
  '$ref', 'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'patternProperties', 'propertyNames', 'items', 'prefixItems',
  'oneOf', 'anyOf', 'allOf', 'not', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minItems', 'maxItems', 'minProperties', 'maxProperties', 'multipleOf',
]);

const typeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};
const typeMatches = (type: string, value: unknown) => type === typeOf(value) || (type === 'number' && typeOf(value) === 'integer');
const isObject = (value: unknown): value is Record<string, unknown> => typeOf(value) === 'object';

/** Every way `value` breaks `schema`, as `path: reason`; none when it conforms. */
export function schemaErrors(schema: Schema, value: unknown, root: Record<string, unknown> = isObject(schema) ? schema : {}, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: nothing is allowed here`];
  const errors: string[] = [];
  const at = (reason: string) => errors.push(`${path}: ${reason}`);
  for (const keyword of Object.keys(schema)) if (!checked.has(keyword) && !annotations.has(keyword)) at(`the checker does not know the keyword ${keyword}`);

  if (typeof schema.$ref === 'string') {
    const target = resolve(root, schema.$ref);
    if (!target) at(`unresolved $ref ${schema.$ref}`);
    else errors.push(...schemaErrors(target, value, root, path));
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => typeMatches(type, value))) {
      at(`is ${typeOf(value)}, not ${types.join(' or ')}`);
      return errors;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) at(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) at(`is not ${JSON.stringify(schema.const)}`);

  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) at(`is shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) at(`is longer than ${schema.maxLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) at(`does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) at(`is below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) at(`is above ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) at(`is not above ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) at(`is not below ${schema.exclusiveMaximum}`);
    if (typeof schema.multipleOf === 'number' && value % schema.multipleOf !== 0) at(`is not a multiple of ${schema.multipleOf}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) at(`has fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) at(`has more than ${schema.maxItems} items`);
    const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as Schema[]) : [];
    value.forEach((item, index) => {
      const itemSchema = index < prefix.length ? prefix[index] : (schema.items as Schema | undefined);
      if (itemSchema !== undefined) errors.push(...schemaErrors(itemSchema, item, root, `${path}[${index}]`));
    });
  }
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in value)) at(`lacks required ${name}`);
    if (typeof schema.minProperties === 'number' && Object.keys(value).length < schema.minProperties) at(`has fewer than ${schema.minProperties} properties`);
    if (typeof schema.maxProperties === 'number' && Object.keys(value).length > schema.maxProperties) at(`has more than ${schema.maxProperties} properties`);
    const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, Schema>);
    for (const [name, item] of Object.entries(value)) {
      if (schema.propertyNames !== undefined) errors.push(...schemaErrors(schema.propertyNames as Schema, name, root, `${path} key ${name}`));
      const matching = patterns.filter(([pattern]) => new RegExp(pattern, 'u').test(name));
      for (const [, patternSchema] of matching) errors.push(...schemaErrors(patternSchema, item, root, `${path}.${name}`));
      if (name in properties) errors.push(...schemaErrors(properties[name] as Schema, item, root, `${path}.${name}`));
      else if (matching.length === 0 && schema.additionalProperties !== undefined) {
        errors.push(...schemaErrors(schema.additionalProperties as Schema, item, root, `${path}.${name}`).map((e) => (schema.additionalProperties === false ? `${path}: has unexpected ${name}` : e)));
      }
    }
  }
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf as Schema[]) errors.push(...schemaErrors(part, value, root, path));
  if (Array.isArray(schema.anyOf) && !(schema.anyOf as Schema[]).some((part) => schemaErrors(part, value, root, path).length === 0)) {
    at(`matches none of anyOf: ${(schema.anyOf as Schema[]).map((part) => schemaErrors(part, value, root, path).slice(0, 2).join('; ')).join(' | ')}`);
  }
  if (Array.isArray(schema.oneOf)) {
    const results = (schema.oneOf as Schema[]).map((part) => schemaErrors(part, value, root, path));
    const passing = results.filter((result) => result.length === 0).length;
    if (passing !== 1) at(`matches ${passing} of oneOf, not exactly one${passing === 0 ? `: ${results.map((r) => r.slice(0, 2).join('; ')).join(' | ')}` : ''}`);
  }
  if (schema.not !== undefined && schemaErrors(schema.not as Schema, value, root, path).length === 0) at('matches what `not` forbids');
  return errors;
}

function resolve(root: Record<string, unknown>, ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/').filter(Boolean)) {
    node = isObject(node) ? node[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  }
  return isObject(node) || typeof node === 'boolean' ? node : undefined;
}
