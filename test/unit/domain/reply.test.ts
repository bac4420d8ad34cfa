import { describe, it, expect } from 'vitest';
import { parseReply, type Reply } from '../../../shared/domain/reply.ts';

const table: [string, Reply][] = [
  // accept
  ['1', { kind: 'accept' }],
  ['ACCEPT', { kind: 'accept' }],
  ['accept', { kind: 'accept' }],
  ['Accept', { kind: 'accept' }],
  ['ACC', { kind: 'accept' }],
  ['1.', { kind: 'accept' }],
  ['1!', { kind: 'accept' }],
  ['  1  \n', { kind: 'accept' }],
  ['\n\nACCEPT.\n', { kind: 'accept' }],
  ['1️⃣', { kind: 'accept' }],
  ['1 👍', { kind: 'accept' }],
  ['1 4F7K', { kind: 'accept', code: '4F7K' }],
  ['accept 4f7k', { kind: 'accept', code: '4F7K' }],
  ['ACCEPT 4F7K.', { kind: 'accept', code: '4F7K' }],
  ['ACCEPT EDT-4F7K-2Q9M', { kind: 'accept', code: 'EDT-4F7K-2Q9M' }],
  ['1 4F7K-2Q9M', { kind: 'accept', code: '4F7K-2Q9M' }],
  ['1\n4F7K', { kind: 'accept', code: '4F7K' }],
  // decline
  ['2', { kind: 'decline' }],
  ['DECLINE', { kind: 'decline' }],
  ['dec', { kind: 'decline' }],
  ['2.', { kind: 'decline' }],
  ['2 sick', { kind: 'decline', reason: 'sick' }],
  ['2 4F7K on leave', { kind: 'decline', code: '4F7K', reason: 'on leave' }],
  ['DECLINE 4F7K conflict', { kind: 'decline', code: '4F7K', reason: 'conflict' }],
  ['decline 4f7k', { kind: 'decline', code: '4F7K' }],
  ['Decline: on leave until Monday', { kind: 'decline', reason: 'on leave until Monday' }],
  ['2 - Conflict of interest', { kind: 'decline', reason: 'Conflict of interest' }],
  ['2 AWAY this week', { kind: 'decline', reason: 'AWAY this week' }], // no digit, so a word, not a code
  ['2 EDT-4F7K-2Q9M\nknow the family', { kind: 'decline', code: 'EDT-4F7K-2Q9M', reason: 'know the family' }],
  // help
  ['HELP', { kind: 'help' }],
  ['help', { kind: 'help' }],
  ['Help!', { kind: 'help' }],
  ['help me', { kind: 'help' }],
  ['?', { kind: 'help' }],
  ['???', { kind: 'help' }],
  // opt-out and back in
  ['STOP', { kind: 'stop' }],
  ['stop', { kind: 'stop' }],
  ['UNSUBSCRIBE', { kind: 'stop' }],
  ['Stop.', { kind: 'stop' }],
  ['START', { kind: 'start' }],
  ['start', { kind: 'start' }],
  // junk
  ['', { kind: 'unknown' }],
  ['   \n ', { kind: 'unknown' }],
  ['12', { kind: 'unknown' }],
  ['1 2 3', { kind: 'unknown' }],
  ['3', { kind: 'unknown' }],
  ['yes', { kind: 'unknown' }],
  ['ok', { kind: 'unknown' }],
  ['👍', { kind: 'unknown' }],
  ['🙂🙂', { kind: 'unknown' }],
  ['accept please', { kind: 'unknown' }],
  ['ACCEPT4F7K', { kind: 'unknown' }],
  ['stop paging me', { kind: 'unknown' }],
  ['Who is this?', { kind: 'unknown' }],
];

describe('parseReply', () => {
  it.each(table)('reads %j as %j', (body, expected) => {
    expect(parseReply(body)).toEqual(expected);
  });

  it('takes an accept with anything but a code as unknown, because accepting must be unmistakable', () => {
    expect(parseReply('1 maybe later').kind).toBe('unknown');
  });

  it('keeps the reason as typed, minus surrounding spaces', () => {
    expect(parseReply('2   Annual Leave  ')).toEqual({ kind: 'decline', reason: 'Annual Leave' });
  });
});
