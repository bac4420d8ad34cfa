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
  ['DECLINE 4F7K conflict', { kind: 'decline', code: '4F7K', conflict: true }], // was a reason: now a declared conflict
  ['decline 4f7k', { kind: 'decline', code: '4F7K' }],
  ['Decline: on leave until Monday', { kind: 'decline', reason: 'on leave until Monday' }],
  ['2 - Conflict of interest', { kind: 'decline', conflict: true }], // was a reason: now a declared conflict
  ['2 AWAY this week', { kind: 'decline', reason: 'AWAY this week' }], // no digit, so a word, not a code
  ['2 EDT-4F7K-2Q9M\nknow the family', { kind: 'decline', code: 'EDT-4F7K-2Q9M', reason: 'know the family' }],
  // decline declaring a conflict of interest: CONFLICT (or COI) first in the reason, after any code
  ['2 CONFLICT', { kind: 'decline', conflict: true }],
  ['2 conflict', { kind: 'decline', conflict: true }],
  ['2 Conflict.', { kind: 'decline', conflict: true }],
  ['DECLINE 4F7K CONFLICT', { kind: 'decline', code: '4F7K', conflict: true }],
  ['decline 4f7k conflict', { kind: 'decline', code: '4F7K', conflict: true }],
  ['DEC EDT-4F7K-2Q9M CONFLICT', { kind: 'decline', code: 'EDT-4F7K-2Q9M', conflict: true }],
  ['2 4F7K: conflict', { kind: 'decline', code: '4F7K', conflict: true }],
  ['2 CONFLICT 4F7K', { kind: 'decline', code: '4F7K', conflict: true }], // the code may follow the keyword
  ['2 conflict 4F7K I know them', { kind: 'decline', code: '4F7K', conflict: true, reason: 'I know them' }],
  ['2 CONFLICT OF INTEREST', { kind: 'decline', conflict: true }],
  ['2 conflict of interest, know the family', { kind: 'decline', conflict: true, reason: 'know the family' }],
  ['2 conflict-of-interest: neighbour', { kind: 'decline', conflict: true, reason: 'neighbour' }],
  ['DEC 4F7K CONFLICT OF INTEREST related', { kind: 'decline', code: '4F7K', conflict: true, reason: 'related' }],
  ['2 conflicted', { kind: 'decline', conflict: true }],
  ['2 COI', { kind: 'decline', conflict: true }],
  ['2 coi.', { kind: 'decline', conflict: true }],
  ['2\nCONFLICT', { kind: 'decline', conflict: true }],
  ['2️⃣ CONFLICT', { kind: 'decline', conflict: true }],
  ['2 🙅 CONFLICT', { kind: 'decline', conflict: true }],
  ['2 CONFLICT 👎', { kind: 'decline', conflict: true }],
  // ...but only first in the reason, and only the whole word
  ['2 no conflict, on leave', { kind: 'decline', reason: 'no conflict, on leave' }],
  ['2 not a conflict just busy', { kind: 'decline', reason: 'not a conflict just busy' }],
  ['2 conflicting shifts', { kind: 'decline', reason: 'conflicting shifts' }],
  ['2 4F7K conflicts with my rota', { kind: 'decline', code: '4F7K', reason: 'conflicts with my rota' }],
  ['2 coil', { kind: 'decline', reason: 'coil' }],
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
  // the person's own shift notices
  ['NOTICES OFF', { kind: 'notices', on: false }],
  ['notices off', { kind: 'notices', on: false }],
  ['Notice off.', { kind: 'notices', on: false }],
  ['NOTICES ON', { kind: 'notices', on: true }],
  ['NOTICES', { kind: 'unknown' }],
  ['notices off please', { kind: 'unknown' }],
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
  // a conflict is declared only with a decline: on its own, or with an accept, it is not an answer
  ['CONFLICT', { kind: 'unknown' }],
  ['conflict 4F7K', { kind: 'unknown' }],
  ['1 CONFLICT', { kind: 'unknown' }],
  ['ACCEPT 4F7K CONFLICT', { kind: 'unknown' }],
  ['COI', { kind: 'unknown' }],
  ['⚠️ CONFLICT', { kind: 'unknown' }],
  ['2CONFLICT', { kind: 'unknown' }],
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

  it('never carries the conflict keyword into the reason', () => {
    for (const body of ['2 CONFLICT', '2 4F7K CONFLICT of interest', '2 coi']) expect(parseReply(body)).not.toHaveProperty('reason');
  });
});
