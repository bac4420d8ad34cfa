/** Who holds each position when, from a team's shifts. Times are instants, so DST needs no special case. */
import { z } from 'zod';
import { positions, type OnCall, type Position, type Shift, type ValidationResult } from './types.ts';
import { isRecord, isoInstant, validateWith } from './validation.ts';

type ShiftTimes = Pick<Shift, 'staffId' | 'position' | 'start' | 'end'>;

const MAX_SHIFT_MS = 48 * 3_600_000;

/**
 * Start inclusive, end exclusive, so a hand-over instant belongs to the incoming shift. When two
 * shifts hold one position at once, the one that started later is an override (cover for
 * sickness, a swap) and wins; on an equal start, the one listed later wins.
 */
export function whoIsOnDuty(shifts: readonly ShiftTimes[], at: Date): OnCall {
  const t = at.getTime();
  const holding = new Map<Position, { start: number; staffId: string }>();
  for (const shift of shifts) {
    const start = Date.parse(shift.start);
    if (!(start <= t && t < Date.parse(shift.end))) continue;
    const current = holding.get(shift.position);
    if (!current || start >= current.start) holding.set(shift.position, { start, staffId: shift.staffId });
  }
  const onCall: OnCall = {};
  for (const [position, { staffId }] of holding) onCall[position] = staffId;
  return onCall;
}

/** Shifts that share any time with [from, to). */
export function shiftsOverlapping<T extends Pick<Shift, 'start' | 'end'>>(shifts: readonly T[], from: Date, to: Date): T[] {
  return shifts.filter((shift) => Date.parse(shift.start) < to.getTime() && Date.parse(shift.end) > from.getTime());
}

const shiftUpload = z
  .strictObject({
    staffId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a staff id: 1 to 64 letters, digits, - or _'),
    start: isoInstant(),
    end: isoInstant(),
    position: z.enum(positions),
  })
  .superRefine(
    (shift, ctx) => {
      // Only compare when both times parsed; a bad time has its own issue already.
      if (typeof shift.start !== 'string' || typeof shift.end !== 'string') return;
      const length = Date.parse(shift.end) - Date.parse(shift.start);
      if (length <= 0) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
      else if (length > MAX_SHIFT_MS) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be at most 48 hours after start' });
    },
    { when: (payload) => isRecord(payload.value) },
  );

/** `PUT /api/teams/{teamId}/rota` as JSON. A rota replaces the team's shifts, so a year of them must fit. */
export const rotaUploadSchema = z.strictObject({ shifts: z.array(shiftUpload).max(5000) });

export type RotaUpload = z.output<typeof rotaUploadSchema>;

export function validateRota(body: unknown): ValidationResult<RotaUpload> {
  return validateWith(rotaUploadSchema, body);
}
