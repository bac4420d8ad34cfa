/**
 * Reading an SMS reply. Accepting is consequential, so an accept must be unmistakable: the
 * keyword alone, or with a reference code. A decline may carry a code and a free-text reason,
 * and may declare a conflict of interest by starting that reason with CONFLICT (or COI):
 * `2 CONFLICT`, `DECLINE 4F7K CONFLICT`, `2 conflict of interest, I know the family`.
 */

export type Reply =
  | { kind: 'accept'; code?: string }
  /** A stage of the assessment sent by the AMHP who accepted (`ATTENDING 4F7K 30`): the event body to record. */
  | { kind: 'stage'; keyword: string; event: StageEvent; code?: string }
  | { kind: 'decline'; code?: string; reason?: string; conflict?: true }
  | { kind: 'help' }
  | { kind: 'stop' }
  | { kind: 'start' }
  /** NOTICES OFF / NOTICES ON: the person's own shift notices (shared/app/shift-notices.ts). */
  | { kind: 'notices'; on: boolean }
  /** The day service took a referral of the morning handover on (`RECEIVED 4F7K`, or `RECEIVED ALL`). */
  | { kind: 'received'; code?: string; all?: true }
  | { kind: 'unknown' };

const ACCEPT = new Set(['1', 'ACCEPT', 'ACC']);
const DECLINE = new Set(['2', 'DECLINE', 'DEC']);
const HELP = new Set(['HELP']);
// The opt-out keywords mobile networks and AWS honour; only the bare keyword counts.
const STOP = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const START = new Set(['START', 'UNSTOP']);
const NOTICES = new Set(['NOTICES', 'NOTICE']);

/** Punctuation, emoji and keycap marks around a word: `1.`, `ACCEPT!`, `1️⃣`. */
const stripEdges = (word: string) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

/**
 * `4F7K`, `4F7K-2Q9M`, `4F7K2Q9M` or `EDT-4F7K-2Q9M`. A short code must hold a digit (every
 * reference's first group does), so `2 AWAY` is a reason, not a code. I, L and O are allowed
 * because people type them for 1 and 0; `referenceMatches` decodes them. After an accept keyword
 * the word can be nothing but a code, so there a look-alike counts as the digit it stands for
 * (`ACCEPT IFXK` for `1FXK`); after a decline, a word such as `SOLO` may begin the reason.
 */
function asCode(word: string, options: { lookAlikesAreDigits?: boolean } = {}): string | undefined {
  const w = word.toUpperCase();
  const shaped = /^(?:EDT-?)?[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(w) || /^EDT-?[0-9A-Z]{8}$/.test(w) || /^[0-9A-Z]{4}(?:[0-9A-Z]{4})?$/.test(w);
  const first = w.slice(0, 4);
  // Only a short code or a dashed one: `CONFLICT` has the shape of an 8-symbol code.
  const lookAlike = options.lookAlikesAreDigits === true && (w.length === 4 || w.includes('-')) && /[IOL]/.test(first);
  const digit = /\d/.test(first) || lookAlike;
  return shaped && (w.startsWith('EDT') || digit) ? w : undefined;
}

/**
 * CONFLICT, CONFLICTED, CONFLICT OF INTEREST or COI as the first word(s) of a decline's reason.
 * Only there: "2 no conflict, on leave" declares nothing, and neither does "2 conflicting shifts".
 */
const CONFLICT = /^(?:conflict(?:ed)?(?:[\s-]+of[\s-]+interest)?|coi)(?![\p{L}\p{N}])[^\p{L}\p{N}]*/iu;

/** Drops the words before the first one with a letter or digit, and that one. */
const afterFirstWord = (words: readonly string[]) => words.slice(words.findIndex((word) => stripEdges(word)) + 1);
const text = (words: readonly string[]) => words.join(' ').replace(/^[^\p{L}\p{N}]+/u, '').trim();

/** `[code] [CONFLICT [code]] [reason]`, after the decline keyword. */
function readDecline(rest: readonly string[]): Reply {
  const firstCode = (words: readonly string[]) => {
    const first = words.map(stripEdges).find(Boolean);
    return first ? asCode(first) : undefined;
  };
  let code = firstCode(rest);
  let after = code ? afterFirstWord(rest) : rest;
  let reason = text(after);
  const conflict = CONFLICT.exec(reason);
  if (conflict) {
    reason = reason.slice(conflict[0].length);
    // The code may follow the keyword instead: `2 CONFLICT 4F7K`.
    const words = reason.split(/\s+/).filter(Boolean);
    const late = code ? undefined : firstCode(words);
    if (late) {
      code = late;
      after = afterFirstWord(words);
      reason = text(after);
    }
  }
  return { kind: 'decline', ...(code ? { code } : {}), ...(reason ? { reason } : {}), ...(conflict ? { conflict: true } : {}) };
}

/** The body of `POST /api/referrals/{id}/events` a stage command stands for; `admitted` takes its section from the decision. */
export type StageEvent = { type: string } & Record<string, string | number>;

/**
 * The stage commands (shared/domain/sms.ts `stageHelpText` documents them): a keyword, the code
 * when several referrals are open, and at most one word more, from a closed list.
 */
const STAGES: Record<string, (arg: string | undefined) => StageEvent | null> = {
  CALLED: (arg) => (arg ? null : { type: 'referrer_contacted' }),
  ATTENDING: (arg): StageEvent | null => (arg === undefined ? { type: 'attending' } : /^\d{1,3}$/.test(arg) ? { type: 'attending', etaMinutes: Number(arg) } : null),
  // With the person: the AMHP's interview, and so the assessment, begins.
  ARRIVED: (arg) => (arg ? null : { type: 'assessment_started' }),
  STARTED: (arg) => (arg ? null : { type: 'assessment_started' }),
  DOCTOR: (arg) => (arg && doctorRole[arg] ? { type: 'doctor_requested', role: doctorRole[arg] } : null),
  DOCTORHERE: (arg) => (arg && doctorRole[arg] ? { type: 'doctor_arrived', role: doctorRole[arg] } : null),
  DECISION: (arg) => (arg && outcome[arg] ? { type: 'decision', outcome: outcome[arg] } : null),
  BED: (arg) => (arg ? null : { type: 'bed_requested' }),
  BEDFOUND: (arg) => (arg ? null : { type: 'bed_identified' }),
  CONVEY: (arg) => (arg && conveyor[arg] ? { type: 'conveyance_requested', by: conveyor[arg] } : null),
  CONVEYED: (arg) => (arg ? null : { type: 'conveyed' }),
  ADMITTED: (arg) => (arg ? null : { type: 'admitted' }),
};

const doctorRole: Record<string, string> = { S12: 's12', SECOND: 'second', '2ND': 'second', RC: 'responsible_clinician' };
const outcome: Record<string, string> = { S2: 'application_s2', S3: 'application_s3', S4: 'application_s4', INFORMAL: 'informal_admission', COMMUNITY: 'community_plan', NFA: 'no_further_action' };
const conveyor: Record<string, string> = { AMBULANCE: 'ambulance', POLICE: 'police', OTHER: 'other' };

export const stageKeywords: readonly string[] = Object.keys(STAGES);

/** `ATTENDING 4F7K 30`, `ATTENDING 30 4F7K`, `ATTENDING 30`: the code may stand anywhere, look-alikes read as digits. */
function readStage(keyword: string, words: readonly string[]): Reply {
  const codes = words.filter((word) => asCode(word, { lookAlikesAreDigits: true }) && !/^\d{1,3}$/.test(word));
  const args = words.filter((word) => !codes.includes(word)).map((word) => word.toUpperCase());
  if (codes.length > 1 || args.length > 1) return { kind: 'unknown' };
  const event = STAGES[keyword]?.(args[0]);
  if (!event) return { kind: 'unknown' };
  return { kind: 'stage', keyword, event, ...(codes[0] ? { code: codes[0].toUpperCase() } : {}) };
}

export function parseReply(body: string): Reply {
  const text = body.trim();
  if (/^\?+$/.test(text)) return { kind: 'help' };
  const [first = '', ...rest] = text.split(/\s+/);
  const keyword = stripEdges(first).toUpperCase();
  const words = rest.map(stripEdges).filter(Boolean);

  if (ACCEPT.has(keyword)) {
    if (words.length === 0) return { kind: 'accept' };
    const code = words.length === 1 && words[0] ? asCode(words[0], { lookAlikesAreDigits: true }) : undefined;
    return code ? { kind: 'accept', code } : { kind: 'unknown' };
  }
  if (DECLINE.has(keyword)) return readDecline(rest);
  if (Object.hasOwn(STAGES, keyword)) return readStage(keyword, words);
  if (keyword === 'RECEIVED' && words.length <= 1) {
    const [word] = words;
    if (!word) return { kind: 'received' };
    if (word.toUpperCase() === 'ALL') return { kind: 'received', all: true };
    const code = asCode(word, { lookAlikesAreDigits: true });
    return code ? { kind: 'received', code } : { kind: 'unknown' };
  }
  if (NOTICES.has(keyword) && words.length === 1) {
    const onOff = words[0]?.toUpperCase();
    if (onOff === 'OFF' || onOff === 'ON') return { kind: 'notices', on: onOff === 'ON' };
  }
  if (words.length > 0) return HELP.has(keyword) ? { kind: 'help' } : { kind: 'unknown' };
  if (HELP.has(keyword)) return { kind: 'help' };
  if (STOP.has(keyword)) return { kind: 'stop' };
  if (START.has(keyword)) return { kind: 'start' };
  return { kind: 'unknown' };
}
