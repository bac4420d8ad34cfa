/**
 * The rota's storage on dynalite with a rota of 10,000 shifts: "who is on duty at an instant" and
 * "shifts overlapping a window" are each one Query, and agree with the pure functions run over
 * the whole rota in memory. Busy markers and the rotation memory are single-item reads and writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveRota, onDutyAt, shiftsOverlapping } from '../../shared/domain/rota.ts';
import { localToInstant } from '../../shared/domain/rota-time.ts';
import type { Shift } from '../../shared/domain/types.ts';
import { bigRota, directoryOnDynalite, TEAM_ID, type DynaliteDirectory } from '../bench/rota-fixture.ts';

let directory: DynaliteDirectory;
let rota: Shift[];

const sortById = (shifts: Shift[]) => [...shifts].sort((a, b) => a.id.localeCompare(b.id));
const sent = async <T>(work: () => Promise<T>) => {
  directory.commands.length = 0;
  const result = await work();
  return { result, commands: [...directory.commands] };
};

beforeAll(async () => {
  directory = await directoryOnDynalite();
  rota = bigRota(10_000);
  await directory.store.replaceRota(TEAM_ID, rota);
}, 120_000);

afterAll(async () => {
  await directory?.stop();
});

describe('a rota of 10,000 shifts on dynalite', () => {
  const instants = [
    localToInstant('2025-01-01', '20:00'),
    new Date('2026-03-29T00:59:00Z'), // the last minute of GMT
    new Date('2026-03-29T01:00:00Z'), // 02:00 BST
    new Date('2026-10-25T00:30:00Z'), // the first 01:30
    new Date('2026-10-25T01:30:00Z'), // the second 01:30
    localToInstant('2027-10-31', '02:30'), // an override night, on the clock change
    localToInstant('2028-05-01', '12:00'), // bank-holiday Monday daytime
    localToInstant('2029-06-15', '12:00'), // a weekday in office hours: nobody
  ];

  it.each(instants.map((at) => [at.toISOString(), at]))('finds who is on duty at %s with one Query and no Scan', async (_, at) => {
    const { result, commands } = await sent(() => directory.store.shiftsAt(TEAM_ID, at));
    expect(commands).toEqual(['QueryCommand']);
    expect(onDutyAt(result, at)).toEqual(onDutyAt(rota, at));
  });

  it('finds the shifts overlapping a fortnight with one Query, the same ones the whole rota has', async () => {
    const from = localToInstant('2027-10-25', '00:00');
    const to = localToInstant('2027-11-08', '00:00');
    const { result, commands } = await sent(() => directory.store.shiftsOverlapping(TEAM_ID, from, to));
    expect(commands).toEqual(['QueryCommand']);
    expect(sortById(result)).toEqual(sortById(shiftsOverlapping(rota, from, to)));
    expect(effectiveRota(result, from, to)).toEqual(effectiveRota(rota, from, to));
  });

  it('leaves out a shift that starts exactly at the end of the window, and includes one that ends just after its start', async () => {
    const from = new Date(rota[4]?.end ?? '');
    const to = new Date(rota[8]?.start ?? '');
    const found = await directory.store.shiftsOverlapping(TEAM_ID, from, to);
    expect(found.some((s) => s.start === to.toISOString())).toBe(false);
    expect(sortById(found)).toEqual(sortById(shiftsOverlapping(rota, from, to)));
  });

  it('rewrites nothing when the same rota is uploaded again, and only the difference when it changes', async () => {
    const again = await sent(() => directory.store.replaceRota(TEAM_ID, rota));
    // Reading the keys of 10,000 items takes a page or two; nothing is written.
    expect(new Set(again.commands)).toEqual(new Set(['QueryCommand']));
    const changed = [...rota.slice(0, -1), { ...rota.at(-1)!, id: 'replacement-shift', staffId: 'amhp-20' }];
    const diff = await sent(() => directory.store.replaceRota(TEAM_ID, changed));
    expect(diff.commands.filter((name) => name !== 'QueryCommand')).toEqual(['BatchWriteItemCommand', 'BatchWriteItemCommand']);
    const last = new Date(Date.parse(changed.at(-1)!.start) + 60_000);
    expect((await directory.store.shiftsAt(TEAM_ID, last)).map((s) => s.id)).toContain('replacement-shift');
    await directory.store.replaceRota(TEAM_ID, rota);
  });

  it('deletes base shifts a new rota leaves out, but an override or swap only when named', async () => {
    const override = rota.find((shift) => shift.kind === 'override');
    expect(override).toBeDefined();
    const at = new Date(Date.parse(override!.start) + 60_000);
    const baseOnly = rota.filter((shift) => (shift.kind ?? 'base') === 'base');
    await directory.store.replaceRota(TEAM_ID, baseOnly);
    expect((await directory.store.shiftsAt(TEAM_ID, at)).map((s) => s.id)).toContain(override!.id);
    await directory.store.replaceRota(TEAM_ID, baseOnly, { dropOverrides: [override!.id] });
    expect((await directory.store.shiftsAt(TEAM_ID, at)).map((s) => s.id)).not.toContain(override!.id);
    await directory.store.replaceRota(TEAM_ID, rota);
  });
});

describe('busy markers and the rotation memory', () => {
  it('marks an AMHP busy per referral, reads them all with one BatchGetItem, and clears them one referral at a time', async () => {
    const at = new Date('2026-11-25T02:00:00Z');
    await directory.store.markBusy('amhp-01', 'ref-1', at);
    await directory.store.markBusy('amhp-01', 'ref-2', at);
    await directory.store.markBusy('amhp-02', 'ref-3', at);
    const { result, commands } = await sent(() => directory.store.staffOnDuty(['amhp-01', 'amhp-02', 'amhp-03']));
    expect([...result.busy].sort()).toEqual(['amhp-01', 'amhp-02']);
    expect(commands).toEqual(['BatchGetItemCommand']);
    await directory.store.clearBusy('amhp-01', 'ref-1');
    await directory.store.clearBusy('amhp-02', 'ref-3');
    expect([...(await directory.store.staffOnDuty(['amhp-01', 'amhp-02'])).busy]).toEqual(['amhp-01']);
    await directory.store.clearBusy('amhp-01', 'ref-2');
    expect((await directory.store.staffOnDuty(['amhp-01'])).busy.size).toBe(0);
  });

  it('is order-independent: a referral cleared before its mark arrives never leaves the person busy', async () => {
    const at = new Date('2026-11-25T02:00:00Z');
    await directory.store.clearBusy('amhp-04', 'ref-late');
    await directory.store.markBusy('amhp-04', 'ref-late', at);
    expect((await directory.store.staffOnDuty(['amhp-04'])).busy.size).toBe(0);
    await directory.store.markBusy('amhp-04', 'ref-other', at);
    expect([...(await directory.store.staffOnDuty(['amhp-04'])).busy]).toEqual(['amhp-04']);
    await directory.store.clearBusy('amhp-04', 'ref-other');
    expect((await directory.store.staffOnDuty(['amhp-04'])).busy.size).toBe(0);
  });

  it('remembers when each person was last put first, read back with one Query', async () => {
    await directory.store.recordRotation(TEAM_ID, ['amhp-05'], new Date('2026-11-25T02:00:00Z'));
    await directory.store.recordRotation(TEAM_ID, ['amhp-06'], new Date('2026-11-25T03:00:00Z'));
    await directory.store.recordRotation(TEAM_ID, ['amhp-05'], new Date('2026-11-25T04:00:00Z'));
    const { result, commands } = await sent(() => directory.store.rotationOf(TEAM_ID));
    expect(result).toEqual({ 'amhp-05': '2026-11-25T04:00:00.000Z', 'amhp-06': '2026-11-25T03:00:00.000Z' });
    expect(commands).toEqual(['QueryCommand']);
  });

  it('stores the service default team', async () => {
    expect(await directory.store.getServiceSettings()).toEqual({});
    await directory.store.putServiceSettings({ defaultTeamId: TEAM_ID });
    expect(await directory.store.getServiceSettings()).toEqual({ defaultTeamId: TEAM_ID });
  });
});
