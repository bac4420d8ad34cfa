import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { statefulResourcesOf, upgradeProblems, type StatefulRecord } from '../../infra/stateful-resources.ts';
import { synthesizeTemplate } from '../../tools/synthesize-template.ts';

/**
 * Upgrades: the stateful resources as last released (infra/stateful-resources.json, written by
 * `npm run stateful-record`) against the stack as it is now. A change that would rename or
 * replace one, or make more than one index change to a table in one update, fails here until the
 * record is updated on purpose.
 */
const recorded = JSON.parse(readFileSync(new URL('../../infra/stateful-resources.json', import.meta.url), 'utf8')) as StatefulRecord;
let current: StatefulRecord;

// A whole synth: slow on a loaded machine, so more than the default hook timeout.
beforeAll(() => {
  current = statefulResourcesOf(synthesizeTemplate());
}, 300_000);

const clone = (record: StatefulRecord): StatefulRecord => JSON.parse(JSON.stringify(record)) as StatefulRecord;
const tableId = (record: StatefulRecord) => Object.keys(record).find((id) => record[id]!.type === 'AWS::DynamoDB::Table' && /Referrals/.test(id))!;

describe('stateful resources', () => {
  it('records the tables (keys and indexes), queues, KMS key, user pool, secrets and backup vault', () => {
    const types = new Set(Object.values(recorded).map((r) => r.type));
    for (const type of ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::KMS::Key', 'AWS::Cognito::UserPool']) expect(types).toContain(type);
    expect(recorded[tableId(recorded)]!.identity.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH', AttributeType: 'S' },
      { AttributeName: 'sk', KeyType: 'RANGE', AttributeType: 'S' },
    ]);
  });

  it('are all kept by the stack as it is now: nothing renamed, replaced or given two index changes at once', () => {
    expect(upgradeProblems(recorded, current)).toEqual([]);
  });

  it('refuses a renamed logical id (CloudFormation would delete the table)', () => {
    const renamed = clone(current);
    const id = tableId(renamed);
    renamed[`${id}X`] = renamed[id]!;
    delete renamed[id];
    expect(upgradeProblems(recorded, renamed)).toEqual([expect.stringMatching(new RegExp(`^${id} .*is gone`))]);
  });

  it('refuses a changed sort key, and a named queue (both replace the resource)', () => {
    const changed = clone(current);
    const id = tableId(changed);
    changed[id]!.identity.KeySchema[1].AttributeName = 'sortKey';
    const queue = Object.keys(changed).find((k) => changed[k]!.type === 'AWS::SQS::Queue')!;
    changed[queue]!.identity.QueueName = 'dutyline-referrals';
    const problems = upgradeProblems(recorded, changed);
    expect(problems).toHaveLength(2);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${id} .*changes KeySchema`)),
        expect.stringMatching(new RegExp(`^${queue} .*changes QueueName`)),
      ]),
    );
  });

  it('allows one new index on a table, and refuses two, or a changed index (a delete and a create)', () => {
    const index = { KeySchema: [{ AttributeName: 'dueAt', KeyType: 'HASH', AttributeType: 'S' }], Projection: { ProjectionType: 'KEYS_ONLY' } };
    const one = clone(current);
    const id = tableId(one);
    one[id]!.indexes!.byDue = index;
    expect(upgradeProblems(recorded, one)).toEqual([]);
    const two = clone(one);
    two[id]!.indexes!.another = index;
    expect(upgradeProblems(recorded, two)).toEqual([expect.stringMatching(/needs 2 index changes in one update \(added byDue, another/)]);
    const changed = clone(current);
    const [first] = Object.keys(changed[id]!.indexes!);
    changed[id]!.indexes![first!]!.Projection = { ProjectionType: 'INCLUDE', NonKeyAttributes: ['smokeTest'] };
    expect(upgradeProblems(recorded, changed)).toEqual([expect.stringMatching(new RegExp(`needs 2 index changes.*changed ${first}`))]);
  });
});
