/**
 * BackupSchedule against the real thing: robfig/cron v1.2.0, the parser CloudNativePG 1.30's
 * ScheduledBackup webhook and controller use (`cron.Parse`), built from the Go module proxy into
 * .cache/bin/robfig-cron-oracle by .ci/install/robfig-cron.sh (source: test/integ/cron/main.go).
 *
 * For every expression of the table, the library must agree with robfig on validity and on the
 * next activations from several instants; BackupSchedule must accept exactly the robfig-valid
 * six-field schedules that fire at least twice and never more than hourly, and report the same
 * longest gap between activations.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BackupSchedule } from '../../src';
import { cronFireTimes, CronSyntaxError, parseRobfigCron } from '../../src/backup/cron';

const ROOT = path.resolve(__dirname, '..', '..');
const ORACLE = path.join(process.env.CNPG_CACHE_DIR ?? path.join(ROOT, '.cache'), 'bin', 'robfig-cron-oracle');

interface Answer {
  readonly expression: string;
  readonly valid: boolean;
  readonly error?: string;
  readonly fields: number;
  readonly next: string[];
}

function robfig(expressions: string[], from: string, count: number): Answer[] {
  const out = execFileSync(ORACLE, [], { input: JSON.stringify({ from, count, expressions }), maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out.toString());
}

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');

const TABLE = [
  // Six fields: the common shapes.
  '0 0 2 * * *', '0 30 1 * * *', '15 45 23 * * *', '0 0 2 * * ?', '0 0 2 ? * *', '0 0 2,14 * * *', '0 0 */6 * * *',
  '0 0 0-23/8 * * *', '0 0 3/12 * * *', '0 0 2-4/2 * * *', '0 0 1-3,5 * * *', '0 0 02 * * *', '0 0 2 * * +1',
  '0 0 2 * * 0', '0 0 2 * * 6', '0 0 2 * * 1-5', '0 0 2 * * MON-FRI', '0 0 2 * * mon,wed,fri', '0 0 2 * * sun', '0 0 2 * * SUN-SAT', '0 0 2 * * Sat',
  '0 0 2 1 * *', '0 0 2 1,15 * *', '0 0 2 31 * *', '0 0 2 29 2 *', '0 0 2 */10 * *', '0 0 2 * */3 *', '0 0 2 1 1 *',
  '0 0 2 * JAN,jul *', '0 0 2 * FEB-APR *', '0 0 2 1 jan-mar,oct *', '0 0 12 1-7 * 1',
  // Day of month AND/OR day of week, robfig's way.
  '0 0 2 15 * 1', '0 0 2 13 * 5', '0 0 2 */2 * 1', '0 0 2 ? * 1', '0 0 2 1 * ?', '0 0 2 1-31 * 1', '0 0 2 *,1 * 1', '0 0 2 1-10/3 * 0',
  // Odd but accepted by robfig.
  '5/10 * * * * *', '0 */90 * * * *', '0 0 2 1,,15 * *', '0 0 2 *-5 * *', '0 0 5-5 * * *', '  0 0 2 * * *  ', '0\t0\t2\t*\t*\t*',
  '0 0 2 , * *', '0 0 2 , * 1', '0 0 2 1 * ,', '0 0 2 , * ,', ', 0 2 , * 1', '0 0 0 30 2 *', '0 0 0 31 4,6,9,11 *', '* * * * * *', '0 * * * * *', '0 0 * * * *', '0 0 * 1 1 *', '0 0 0,12 * * *',
  // Five fields: valid for robfig (day of week defaults to *), refused by BackupSchedule.
  '0 2 * * *', '30 1 15 * *', '0 0 2 * *', '0 1 * * 0', '0 0 * * 1', '*/5 * * * *',
  // Descriptors.
  '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly',
  '@every 1h30m', '@every 24h', '@every 6h', '@every 90s', '@every 1.5h', '@every .5h', '@every 0', '@every -1h', '@every 100ms', '@every 1h0m0s',
  // Refused by robfig.
  '', '0 0 2 * * 7', '0 0 2 * * 1-7', '0 0 24 * * *', '60 0 2 * * *', '0 60 2 * * *', '0 0 2 0 * *', '0 0 2 32 * *', '0 0 2 * 13 *', '0 0 2 * 0 *',
  '0 0 2 * * * *', '0 0 2 * * * 2026', '0 0 2 *', '0 0 2', 'every day at two', '0 0 22-2 * * *', '0 0 */0 * * *', '0 0 2-4/0 * * *',
  '0 0 2 L * *', '0 0 2 * * 1#2', '0 0 2 * * 5L', '0 0 2 15W * *', '0 0 H * * *', '0 0 2 * * 1-', '0 0 -1 * * *', '0 0 2-3-4 * * *',
  '0 0 2/3/4 * * *', '0 0 2 * * monday', '0 0 2 * january *', '0 0 0x2 * * *', '0 0 2.5 * * *',
  '@Daily', '@DAILY', '@reboot', '@every', '@every ', '@every 1x', '@every 1d', '@every 1h 30m', '@every  1h', '@every1h', ' @daily', '@daily ',
  '@every 2562048h', '@every 1h\n',
];

// The last two: across 2100 (no 29 February for seven years), at either side of robfig's search limit.
const STARTS = ['2025-12-31T23:59:59Z', '2026-02-28T23:59:59Z', '2028-02-29T12:34:56Z', '2026-07-15T02:00:00Z', '2099-01-01T00:00:00Z', '2098-12-31T23:59:58.900Z'];
const COUNT = 8;

describe('BackupSchedule agrees with robfig/cron v1.2.0 (CloudNativePG\'s parser)', () => {
  beforeAll(() => {
    if (!fs.existsSync(ORACLE)) {
      throw new Error(`missing: ${ORACLE}. Run \`bash .ci/deps.sh\` first (.ci/install/robfig-cron.sh builds it from the Go module proxy).`);
    }
  });

  test('the table covers valid and invalid expressions of every kind', () => {
    const answers = robfig(TABLE, STARTS[0], 1);
    expect(answers.filter((a) => a.valid).length).toBeGreaterThan(60);
    expect(answers.filter((a) => !a.valid).length).toBeGreaterThan(35);
    expect(answers.filter((a) => a.valid && a.fields === 5).length).toBe(5);
  });

  test.each(STARTS)('validity and the next 8 activations agree from %s', (from) => {
    const answers = robfig(TABLE, from, COUNT);
    const disagreements: string[] = [];
    for (const a of answers) {
      let valid = true;
      let next: string[] = [];
      let error = '';
      try {
        next = cronFireTimes(parseRobfigCron(a.expression), new Date(from), COUNT).map(iso);
      } catch (e) {
        if (!(e instanceof CronSyntaxError)) throw e;
        valid = false;
        error = e.message;
      }
      if (valid !== a.valid || JSON.stringify(next) !== JSON.stringify(a.next)) {
        disagreements.push(`${JSON.stringify(a.expression)}: robfig ${a.valid ? a.next.slice(0, 3).join(',') : `rejects (${a.error})`}; ours ${valid ? next.slice(0, 3).join(',') : `rejects (${error})`}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  test('BackupSchedule accepts exactly the six-field schedules CNPG runs as meant, with robfig\'s gaps', () => {
    // 1000 activations from the analysis start: enough to see each accepted schedule's gaps.
    const answers = robfig(TABLE, '2025-12-31T23:59:59Z', 1000);
    const disagreements: string[] = [];
    for (const a of answers) {
      const s = BackupSchedule.expression(a.expression);
      let accepted = true;
      try {
        s._validate('test', 'schedule');
      } catch {
        accepted = false;
      }
      const times = a.next.map((t) => Date.parse(t) / 1000);
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      const minGap = gaps.length ? Math.min(...gaps) : undefined;
      const maxGap = gaps.length ? Math.max(...gaps) : undefined;
      const trimmed = a.expression.trim();
      const shouldAccept = a.valid && (a.fields === 6 || trimmed.startsWith('@')) && minGap !== undefined && minGap >= 3600;
      if (accepted !== shouldAccept) {
        disagreements.push(`${JSON.stringify(a.expression)}: ${accepted ? 'accepted' : 'refused'}, robfig ${a.valid ? `valid, ${a.fields} fields, min gap ${minGap}` : 'invalid'}`);
        continue;
      }
      if (!accepted) continue;
      const span = times[times.length - 1] - times[0];
      // The oracle's 1000 activations may span less than the library's year-long analysis.
      const ok = span >= 400 * 86400 ? s.maxIntervalSeconds === maxGap : s.maxIntervalSeconds! >= maxGap!;
      if (!ok || s.minIntervalSeconds !== minGap) {
        disagreements.push(`${JSON.stringify(a.expression)}: gaps ${s.minIntervalSeconds}..${s.maxIntervalSeconds}, robfig ${minGap}..${maxGap} over ${span} s`);
      }
      const ours = s.nextFireTimes(new Date('2025-12-31T23:59:59Z'), 20).map(iso);
      if (JSON.stringify(ours) !== JSON.stringify(a.next.slice(0, 20))) {
        disagreements.push(`${JSON.stringify(a.expression)}: next ${ours.slice(0, 3)}, robfig ${a.next.slice(0, 3)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
