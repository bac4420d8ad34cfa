import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../support/json-schema.ts';

describe('the test JSON Schema checker', () => {
  const root = {
    components: { schemas: { Id: { type: 'string', minLength: 2 } } },
    type: 'object',
    additionalProperties: false,
    required: ['id', 'kind'],
    properties: { id: { $ref: '#/components/schemas/Id' }, kind: { enum: ['a', 'b'] }, n: { type: ['integer', 'null'], minimum: 1 }, tags: { type: 'array', items: { type: 'string' }, maxItems: 2 } },
  };

  it('passes a value that conforms', () => {
    expect(schemaErrors(root, { id: 'ab', kind: 'a', n: null, tags: ['x'] })).toEqual([]);
  });

  it('names each way a value breaks the schema', () => {
    expect(schemaErrors(root, { id: 'a', n: 0.5, tags: ['x', 'y', 1], extra: true })).toEqual([
      '$: lacks required kind',
      '$.id: is shorter than 2',
      '$.n: is number, not integer or null',
      '$.tags: has more than 2 items',
      '$.tags[2]: is integer, not string',
      '$: has unexpected extra',
    ]);
  });

  it('needs exactly one branch of oneOf, and refuses a keyword it cannot check', () => {
    expect(schemaErrors({ oneOf: [{ type: 'string' }, { type: 'string', maxLength: 5 }] }, 'abc')).toEqual(['$: matches 2 of oneOf, not exactly one']);
    expect(schemaErrors({ if: { type: 'string' } }, 'x')).toEqual(['$: the checker does not know the keyword if']);
  });
});
