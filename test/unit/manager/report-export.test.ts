import { describe, expect, it } from 'vitest';
import { barChart, niceStep } from '../../../functions/manager/charts.ts';
import { reportWindow } from '../../../functions/manager/window.ts';
import { responseTimeColumns, responseTimesCsv } from '../../../shared/domain/response-times-csv.ts';
import { responseTimeReport, type ReferralEvents } from '../../../shared/domain/response-times.ts';

const window = { from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-04T00:00:00Z') };
const referral = (id: string, at: string, acceptAfter: number): ReferralEvents => ({
  id,
  teamId: 'leeds-edt',
  legalStatus: 's136',
  createdAt: at,
  timeline: [
    { at, type: 'received' },
    { at: new Date(Date.parse(at) + 30_000).toISOString(), type: 'paged', staffId: 'amhp-asha', pageSeq: 1 },
    { at: new Date(Date.parse(at) + acceptAfter * 1000).toISOString(), type: 'accepted', staffId: 'amhp-asha', pageSeq: 1 },
  ],
});

describe('the response-time CSV', () => {
  const report = responseTimeReport([referral('a', '2026-11-02T21:00:00.000Z', 300), referral('b', '2026-11-03T22:00:00.000Z', 600)], window);
  const lines = responseTimesCsv(report, { teams: { 'leeds-edt': 'Leeds EDT' }, amhps: { 'amhp-asha': 'Asha Patel' } }).trimEnd().split('\r\n');

  it('has one header and one row per group, for all referrals and for s136', () => {
    expect(lines[0]).toBe(responseTimeColumns.join(','));
    // Per subset: overall, 2 days, 1 week, 24 hours, 1 team, 1 AMHP.
    expect(lines).toHaveLength(1 + 2 * (1 + 2 + 1 + 24 + 1 + 1));
  });

  it('writes seconds and fractions exactly, and names teams and AMHPs', () => {
    const column = (name: string) => responseTimeColumns.indexOf(name);
    const overall = (lines[1] ?? '').split(',');
    expect(overall.slice(0, 8)).toEqual(['all', 'all', 'all', 'All referrals', '2', '2', '0', '0']);
    expect([overall[column('accept_p50_s')], overall[column('accept_p90_s')], overall[column('accept_max_s')]]).toEqual(['300', '600', '600']);
    expect(overall[column('close_p50_s')]).toBe('');
    expect(overall[column('escalation_rate')]).toBe('0');
    expect(lines.find((line) => line.startsWith('all,team,'))).toMatch(/^all,team,leeds-edt,Leeds EDT,2,/);
    expect(lines.find((line) => line.startsWith('s136,amhp,'))).toMatch(/^s136,amhp,amhp-asha,Asha Patel,2,/);
  });
});

describe('the report window', () => {
  const now = new Date('2026-11-25T02:00:00Z');
  it('is the last 28 London days by default, ending today', () => {
    const result = reportWindow({}, now);
    expect(result).toMatchObject({ ok: true, format: 'html', window: { fromDate: '2026-10-29', toDate: '2026-11-25', to: new Date('2026-11-26T00:00:00Z') } });
  });

  it('takes London dates, both ends included, at most 366 days apart (a year)', () => {
    expect(reportWindow({ from: '2026-10-01', to: '2026-10-31', format: 'csv' }, now)).toMatchObject({
      ok: true,
      format: 'csv',
      window: { from: new Date('2026-09-30T23:00:00Z'), to: new Date('2026-11-01T00:00:00Z') },
    });
    expect(reportWindow({ from: '2026-10-31', to: '2026-10-01' }, now)).toMatchObject({ ok: false, issues: [{ path: 'from' }] });
    expect(reportWindow({ from: '2025-09-30', to: '2026-10-01' }, now)).toMatchObject({ ok: false, issues: [{ path: 'to' }] });
    expect(reportWindow({ from: '2025-10-01', to: '2026-10-01' }, now)).toMatchObject({ ok: true });
    expect(reportWindow({ from: '1 Oct' }, now)).toMatchObject({ ok: false, issues: [{ path: 'from' }] });
  });
});

describe('server-drawn charts', () => {
  it('picks round gridline steps', () => {
    expect([niceStep(0), niceStep(9), niceStep(23), niceStep(480), niceStep(1)]).toEqual([1, 2, 5, 100, 0.2]);
  });

  it('draws one bar per value with its figures, as an image with a text alternative, without inline styles', () => {
    const svg = barChart({
      id: 'c',
      title: 'Referrals <by> hour',
      description: 'Referrals per hour',
      categories: ['00', '01', '02'],
      series: [{ name: 'All', values: [3, null, 1], colour: '#1d70b8' }],
      unit: 'referrals',
    }).value;
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="Referrals per hour"');
    expect(svg.match(/<rect[^>]*data-value=/g)).toHaveLength(2);
    expect(svg).toContain('data-category="00" data-series="All" data-value="3"');
    expect(svg).toContain('Referrals &lt;by&gt; hour');
    expect(svg).not.toMatch(/style=/);
  });
});
