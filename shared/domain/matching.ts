/**
 * Who to page, in what order, among the people on duty when a referral is routed. Pure: the
 * rota, the referral's declared conflicts, who is busy and the team's rotation memory come in;
 * the chain's steps come out with a reason for each, and everyone left out with the reason why.
 *
 * The order: primary, secondary, then the additional AMHPs (rotated fairly, least recently put
 * first leading), then the manager. Anyone with a declared conflict is skipped; so is an AMHP
 * holding an accepted, open referral, unless every AMHP on duty is busy, when the busy ones are
 * paged after all (a busy AMHP may still take it, and paging nobody helps no one). The team's
 * continuity policy then moves the person's care co-ordinator to the front (`prefer`) or to the
 * back (`avoid`) of the AMHPs.
 */
import type { DutyHolder } from './rota.ts';
import type { ChainSkip, ChainStep, ChainStepReason, ContinuityPolicy, EscalationPolicyStep, Position } from './types.ts';

export interface MatchInput {
  continuity: ContinuityPolicy;
  onDuty: readonly Pick<DutyHolder, 'position' | 'staffId'>[];
  careCoordinatorStaffId?: string | undefined;
  /** Staff who declared a conflict of interest for this referral. */
  conflicts: readonly string[];
  /** Staff holding an accepted, open referral. */
  busy: ReadonlySet<string>;
  /** When each staff member was last put first among equal candidates (ISO); never → absent. */
  lastChosenAt: Readonly<Record<string, string>>;
  /** The person is under 18 (an intake fact): see `childrenServices`. */
  under18?: boolean | undefined;
  /** AMHPs with children's services experience: for an under-18, first among equally placed free candidates. */
  childrenServices?: ReadonlySet<string> | undefined;
}

export interface MatchStep extends ChainStep {
  reason: ChainStepReason;
}

export interface Match {
  steps: MatchStep[];
  skipped: ChainSkip[];
  managerStaffId: string | null;
  /** Staff put first among equal candidates: the team's rotation moves past them. */
  rotated: string[];
}

/** Single-holder AMHP positions: an empty one is a step of its own, recorded as nobody on duty. */
const namedPositions = ['primary', 'secondary'] as const satisfies readonly Position[];

interface Candidate {
  position: Position;
  staffId: string;
  reason: ChainStepReason;
}

/** Least recently put first goes first; never before them all; then by id, so the order is stable. */
function rotate(candidates: Candidate[], lastChosenAt: MatchInput['lastChosenAt']): Candidate[] {
  if (candidates.length < 2) return candidates;
  return [...candidates]
    .sort((a, b) => (lastChosenAt[a.staffId] ?? '').localeCompare(lastChosenAt[b.staffId] ?? '') || a.staffId.localeCompare(b.staffId))
    .map((candidate) => ({ ...candidate, reason: 'rotation' }));
}

/**
 * For a person under 18: among equally placed candidates (the additional AMHPs, in their
 * rotation), the free ones with children's services experience go first, keeping their rotation
 * order; the rest follow as they were. Busy ones are not moved: a free AMHP is still preferred.
 */
function preferChildrenServices(candidates: Candidate[], input: MatchInput): Candidate[] {
  const experienced = input.childrenServices;
  if (!input.under18 || !experienced || candidates.length < 2) return candidates;
  const preferred = candidates.filter((c) => experienced.has(c.staffId) && !input.busy.has(c.staffId));
  if (preferred.length === 0 || preferred.length === candidates.length) return candidates;
  return [...preferred.map((c) => ({ ...c, reason: 'children_services_preferred' as const })), ...candidates.filter((c) => !preferred.includes(c))];
}

export function matchOnDuty(input: MatchInput): Match {
  const skipped: ChainSkip[] = [];
  const seen = new Set<string>();
  const conflicts = new Set(input.conflicts);
  const steps: MatchStep[] = [];
  const rotated: string[] = [];

  /** Leaves out repeats and conflicts, recording why. */
  const admissible = ({ position, staffId }: { position: Position; staffId: string }) => {
    if (seen.has(staffId)) {
      skipped.push({ position, staffId, reason: 'already_in_chain' });
      return false;
    }
    seen.add(staffId);
    if (conflicts.has(staffId)) {
      skipped.push({ position, staffId, reason: 'conflict' });
      return false;
    }
    return true;
  };

  // AMHPs in position order; an empty named position keeps its place as a step nobody holds.
  const amhps: (Candidate | { position: Position; staffId: null })[] = [];
  for (const position of namedPositions) {
    const holders = input.onDuty.filter((holder) => holder.position === position);
    if (holders.length === 0) amhps.push({ position, staffId: null });
    for (const holder of holders) if (admissible(holder)) amhps.push({ position, staffId: holder.staffId, reason: 'position' });
  }
  const additional = input.onDuty.filter((holder) => holder.position === 'additional').filter(admissible);
  const group = preferChildrenServices(
    rotate(
      additional.map((holder) => ({ position: holder.position, staffId: holder.staffId, reason: 'position' as const })),
      input.lastChosenAt,
    ),
    input,
  );
  if (group.length > 1 && group[0]) rotated.push(group[0].staffId);
  amhps.push(...group);

  // Busy AMHPs are skipped while a free one is on duty.
  const people = amhps.filter((step): step is Candidate => step.staffId !== null);
  const free = people.filter((candidate) => !input.busy.has(candidate.staffId));
  let chosen: (Candidate | { position: Position; staffId: null })[];
  if (free.length > 0) {
    for (const { position, staffId } of people) if (input.busy.has(staffId)) skipped.push({ position, staffId, reason: 'busy' });
    chosen = amhps.filter((step) => step.staffId === null || !input.busy.has(step.staffId));
  } else {
    chosen = amhps.map((step) => (step.staffId === null ? step : { ...step, reason: 'all_busy' as const }));
  }

  // Continuity: the care co-ordinator to the front or the back of the AMHPs.
  const coordinator = input.careCoordinatorStaffId;
  const index = chosen.findIndex((step) => step.staffId !== null && step.staffId === coordinator);
  if (index >= 0 && input.continuity !== 'ignore') {
    const [step] = chosen.splice(index, 1) as [Candidate];
    if (input.continuity === 'prefer') chosen.unshift({ ...step, reason: 'continuity_preferred' });
    else chosen.push({ ...step, reason: 'continuity_avoided' });
  }
  for (const step of chosen) {
    steps.push(step.staffId === null ? { ...step, reason: 'no_one_on_duty' } : step);
  }

  // The manager: last step, and told when the chain is exhausted.
  const manager = input.onDuty.find((holder) => holder.position === 'manager');
  if (!manager) steps.push({ position: 'manager', staffId: null, reason: 'no_one_on_duty' });
  else if (admissible(manager)) steps.push({ position: 'manager', staffId: manager.staffId, reason: 'position' });
  return { steps, skipped, managerStaffId: manager?.staffId ?? null, rotated };
}

/** A declared conflict of interest, kept on the referral: the person is never in its chain again. */
export function withConflict(conflicts: readonly string[] | undefined, staffId: string): string[] {
  return [...new Set([...(conflicts ?? []), staffId])];
}

/** Why a person the policy names cannot be paged: gone from the directory, or no longer in the team. */
export type NamedUnavailable = 'unknown_staff' | 'not_in_team';

/**
 * The chain in the order of a team's own policy steps (types.ts EscalationPolicyStep):
 * - a position step takes whoever `matchOnDuty` put in the chain for that position, with its
 *   skips (conflict, busy, already in the chain) and fair rotation. Only the positions the policy
 *   pages are matched, so "busy while a free AMHP is on duty" means free among those the policy
 *   will page. Continuity moves the care co-ordinator to the front of the first AMHP position
 *   step (`prefer`) or the back of the last (`avoid`), as it moves them within the AMHPs without
 *   a policy;
 * - a named step pages that person whatever the rota says (busy or not), unless they declared a
 *   conflict or are no longer staff of the team;
 * - a fallback-phone step is a step of its own, paging nobody.
 * Anyone reached a second time is left out of the later step (`already_in_chain`). Every step
 * keeps the policy's `delaySeconds`. The manager on duty is told when the chain is exhausted,
 * whether or not the policy pages them.
 */
export function matchPolicy(
  input: MatchInput,
  policy: readonly EscalationPolicyStep[],
  unavailable: Readonly<Record<string, NamedUnavailable>> = {},
): Match {
  const policyPositions = new Set(policy.flatMap((step) => ('position' in step ? [step.position] : [])));
  const match = matchOnDuty({ ...input, onDuty: input.onDuty.filter((holder) => policyPositions.has(holder.position)) });
  const skipped: ChainSkip[] = [...match.skipped];
  const conflicts = new Set(input.conflicts);
  const moved = match.steps.find((step) => step.reason === 'continuity_preferred' || step.reason === 'continuity_avoided');
  const delay = (step: EscalationPolicyStep) => (step.delaySeconds === undefined ? {} : { delaySeconds: step.delaySeconds });

  const slots: MatchStep[][] = policy.map((step) => {
    if ('fallbackPhone' in step) return [{ position: 'fallback_phone', staffId: null, reason: 'fallback_phone', ...delay(step) }];
    if ('staffId' in step) {
      const why = conflicts.has(step.staffId) ? 'conflict' : unavailable[step.staffId];
      if (why) {
        skipped.push({ position: 'named', staffId: step.staffId, reason: why });
        return [];
      }
      return [{ position: 'named', staffId: step.staffId, reason: 'named', ...delay(step) }];
    }
    const held = match.steps.filter((candidate) => candidate.position === step.position && candidate !== moved);
    const leftOut = skipped.some((skip) => skip.position === step.position) || moved?.position === step.position;
    if (held.length === 0 && !leftOut) return [{ position: step.position, staffId: null, reason: 'no_one_on_duty', ...delay(step) }];
    return held.map((candidate) => ({ ...candidate, ...delay(step) }));
  });

  if (moved) {
    const amhpSlots = policy.flatMap((step, index) => ('position' in step && step.position !== 'manager' ? [index] : []));
    const index = moved.reason === 'continuity_preferred' ? amhpSlots[0] : amhpSlots.at(-1);
    const slot = index === undefined ? undefined : slots[index];
    const step = policy[index ?? -1];
    if (slot && step) {
      const placed = { ...moved, ...delay(step) };
      slots[index as number] = moved.reason === 'continuity_preferred' ? [placed, ...slot] : [...slot, placed];
    }
  }

  const seen = new Set<string>();
  const steps: MatchStep[] = [];
  for (const step of slots.flat()) {
    if (step.staffId !== null) {
      if (seen.has(step.staffId)) {
        skipped.push({ position: step.position, staffId: step.staffId, reason: 'already_in_chain' });
        continue;
      }
      seen.add(step.staffId);
    }
    steps.push(step);
  }
  const manager = input.onDuty.find((holder) => holder.position === 'manager');
  return { steps, skipped, managerStaffId: manager?.staffId ?? null, rotated: match.rotated };
}
