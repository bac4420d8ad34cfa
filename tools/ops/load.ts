/**
 * `npm run load -- --url <api> [--token <ID token>] team.json staff.csv [rota.ics|rota.csv]`: the
 * team, the service settings, each staff member and the rota, through the HTTP API. Every file is
 * checked first with the API's own schemas, so a bad row stops the load before anything changes;
 * every request is a PUT, so running it again gives the same result. It prints ids, paths and
 * statuses, never a name or phone number from the files.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { baseUrlOf, consoleOutput, localSignIn, refusal, request, type Answer, type Output } from './api.ts';
import {
  checkRotaFile,
  describeIssue,
  readStaffCsv,
  readTeamFile,
  rotaContentType,
  rotaFileIssue,
  rotaFormatOf,
  staffRowIssue,
  startRotaAt,
  teamFileIssue,
  templateStartFor,
  type FileIssue,
} from './directory-files.ts';

export const LOAD_USAGE = `usage: npm run load -- --url <api> [--token <ID token>] [--rota-starts-now] [--drop-conflicting-overrides] team.json staff.csv [rota.ics|rota.csv]
  --url                         the API's base URL (the stack's ApiUrl output, or http://127.0.0.1:3000)
  --token                       an administrator's Cognito ID token (or set DUTYLINE_TOKEN); without one,
                                signs in to a local runtime as admin (POST /local/login)
  --rota-starts-now             moves a template rota (plain UTC events, like infra/local/demo/rota.ics)
                                so that its first shift starts at the start of the previous hour
  --drop-conflicting-overrides  replaces the rota even where overrides made since would stand in for someone else`;

export interface LoadEnvironment {
  /** Where relative file paths are read from: npm runs scripts in the package folder, and sets INIT_CWD to the operator's. */
  cwd: string;
  token?: string | undefined;
  now?: () => Date;
}

const defaultEnvironment = (): LoadEnvironment => ({ cwd: process.env.INIT_CWD ?? process.cwd(), token: process.env.DUTYLINE_TOKEN });

class Stop extends Error {}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export async function runLoad(argv: readonly string[], out: Output = consoleOutput, env: LoadEnvironment = defaultEnvironment()): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    out.line(`${error instanceof Error ? error.message : String(error)}\n${LOAD_USAGE}`);
    return 2;
  }
  const { url, files } = args;
  let done = 0;
  const fail = (issues: FileIssue[] | string): never => {
    for (const issue of typeof issues === 'string' ? [issues] : issues) out.line(`  ${typeof issue === 'string' ? issue : describeIssue(issue)}`);
    throw new Stop();
  };
  try {
    // Every file is read and checked before the first request, so a bad one changes nothing.
    const [teamPath, staffPath, rotaPath] = files as [string, string, string | undefined];
    const read = (file: string) => {
      try {
        return readFileSync(path.resolve(env.cwd, file), 'utf8');
      } catch (error) {
        return fail(`${file}: cannot be read (${error instanceof Error && 'code' in error ? String(error.code) : 'error'})`);
      }
    };
    out.line(`checking ${files.join(', ')}`);
    const teamFile = readTeamFile(read(teamPath), teamPath);
    const { teamId, team, service } = teamFile.ok ? teamFile.value : fail(teamFile.issues);
    const staffFile = readStaffCsv(read(staffPath), staffPath, teamId);
    const staffRows = staffFile.ok ? staffFile.value : fail(staffFile.issues);
    let rota: { text: string; format: 'csv' | 'ics'; shifts: number } | null = null;
    if (rotaPath) {
      const format = rotaFormatOf(rotaPath) ?? fail(`${rotaPath}: must end in .ics (iCalendar) or .csv`);
      let text = read(rotaPath);
      if (args.rotaStartsNow) {
        if (format !== 'ics') fail(`${rotaPath}: --rota-starts-now moves an iCalendar template only`);
        const moved = startRotaAt(text, templateStartFor((env.now ?? (() => new Date()))()));
        text = moved.ok ? moved.value : fail(`${rotaPath}: ${moved.message}`);
      }
      const checked = checkRotaFile(text, format, rotaPath);
      if (checked.issues.length > 0) fail(checked.issues);
      rota = { text, format, shifts: checked.shifts };
    }
    out.line(`  ok: team ${teamId}, ${staffRows.length} staff${rota ? `, ${count(rota.shifts, 'shift')}` : ''}${service ? ', service settings' : ''}`);

    const token = args.token || env.token || (await signIn(url, fail));
    const put = async (what: string, apiPath: string, send: { json?: unknown; text?: string; contentType?: string }, issuesOf: (answer: Answer) => FileIssue[]) => {
      let answer: Answer;
      try {
        answer = await request(url, 'PUT', apiPath, { token, ...send });
      } catch (error) {
        return fail(`PUT ${apiPath} (${what}): no answer from ${url} (${error instanceof Error ? error.message : 'error'})`);
      }
      out.line(`PUT ${apiPath} (${what}) → ${answer.status} in ${answer.ms} ms`);
      if (answer.status >= 200 && answer.status < 300) {
        done++;
        return answer;
      }
      const issues = Array.isArray(answer.body.issues) ? issuesOf(answer) : [];
      out.line(`  stopped: ${refusal(answer)}`);
      return fail(issues.length > 0 ? issues : []);
    };
    const apiIssues = (answer: Answer) => answer.body.issues as { path: string; message: string }[];

    // The team before the service settings, whose defaultTeamId may name it.
    await put(teamPath, `/api/teams/${teamId}`, { json: team }, (answer) => apiIssues(answer).map((issue) => teamFileIssue(teamPath, 'team', issue)));
    if (service) await put(`${teamPath} service`, '/api/service', { json: service }, (answer) => apiIssues(answer).map((issue) => teamFileIssue(teamPath, 'service', issue)));
    for (const row of staffRows) {
      await put(`${staffPath} row ${row.row}`, `/api/staff/${row.staffId}`, { json: row.body }, (answer) =>
        apiIssues(answer).map((issue) => staffRowIssue(staffPath, row.row, row.staffId, issue)),
      );
    }
    if (rota) {
      const query = args.dropConflictingOverrides ? '?dropConflictingOverrides=true' : '';
      const answer = await put(`${rotaPath}, ${rotaContentType[rota.format]}`, `/api/teams/${teamId}/rota${query}`, { text: rota.text, contentType: rotaContentType[rota.format] }, (refused) =>
        apiIssues(refused).map((issue) => rotaFileIssue(rotaPath as string, issue)),
      );
      const { shifts, gaps, overlaps } = answer.body as { shifts?: unknown[]; gaps?: unknown[]; overlaps?: unknown[] };
      out.line(`  rota: ${count(shifts?.length ?? 0, 'shift')} stored, ${count(gaps?.length ?? 0, 'gap')}, ${count(overlaps?.length ?? 0, 'overlap')}`);
    }
    out.line(`loaded team ${teamId}: ${staffRows.length} staff${rota ? `, ${count(rota.shifts, 'shift')}` : ''}. Check who is on duty now: GET ${url}/api/teams/${teamId}/oncall`);
    return 0;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    out.line(
      done === 0
        ? 'load stopped before anything was changed'
        : `load stopped after ${count(done, 'PUT')}; when it is fixed, run it again (every step is a PUT, so those are simply repeated)`,
    );
    return 1;
  }
}

async function signIn(url: string, fail: (message: string) => never): Promise<string> {
  // With roles, a runtime started without the demo seed creates its admin on the spot.
  const result = await localSignIn(url, 'admin', ['admin']);
  if ('error' in result) return fail(result.error);
  return result.token;
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      'rota-starts-now': { type: 'boolean', default: false },
      'drop-conflicting-overrides': { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!values.url) throw new Error('--url is required');
  if (positionals.length < 2 || positionals.length > 3) throw new Error(`give team.json, staff.csv and optionally the rota file (${positionals.length} files given)`);
  return {
    url: baseUrlOf(values.url),
    files: positionals,
    token: values.token,
    rotaStartsNow: values['rota-starts-now'] === true,
    dropConflictingOverrides: values['drop-conflicting-overrides'] === true,
  };
}
