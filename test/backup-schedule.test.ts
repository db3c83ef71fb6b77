import * as fc from 'fast-check';
import { BackupSchedule } from '../src';
import { cronFireTimes, cronMatchingDays, ParsedCron, parseRobfigCron } from '../src/backup/cron';
import { scheduleProblem } from '../src/backup/schedule';

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
const from = new Date('2026-01-01T00:00:00Z');

describe('BackupSchedule', () => {
  test('dailyAt(2) is 02:00:00 UTC every day, in six fields, seconds first', () => {
    const s = BackupSchedule.dailyAt(2);
    expect(s.expressionString).toBe('0 0 2 * * *');
    expect(BackupSchedule.DAILY_AT_2.expressionString).toBe('0 0 2 * * *');
    expect(BackupSchedule.dailyAt(23, 45).expressionString).toBe('0 45 23 * * *');
    expect(s.nextFireTimes(from, 3).map(iso)).toEqual(['2026-01-01T02:00:00Z', '2026-01-02T02:00:00Z', '2026-01-03T02:00:00Z']);
    expect(s.maxIntervalSeconds).toBe(86400);
    expect(s.minIntervalSeconds).toBe(86400);
    expect(s.isUnresolved).toBe(false);
    expect(s.toString()).toBe('0 0 2 * * *');
  });

  test('fixed descriptors are written out in six fields (the webhook warns on anything else); @every is kept', () => {
    expect(BackupSchedule.expression('@daily').expressionString).toBe('0 0 0 * * *');
    expect(BackupSchedule.expression('@midnight').expressionString).toBe('0 0 0 * * *');
    expect(BackupSchedule.expression('@weekly').expressionString).toBe('0 0 0 * * 0');
    expect(BackupSchedule.expression('@monthly').expressionString).toBe('0 0 0 1 * *');
    expect(BackupSchedule.expression('@yearly').expressionString).toBe('0 0 0 1 1 *');
    expect(BackupSchedule.expression('@annually').expressionString).toBe('0 0 0 1 1 *');
    expect(BackupSchedule.expression('@hourly').expressionString).toBe('0 0 * * * *');
    const every = BackupSchedule.expression('@every 12h');
    expect(every.expressionString).toBe('@every 12h');
    expect(every.maxIntervalSeconds).toBe(43200);
    expect(every.nextFireTimes(from, 2).map(iso)).toEqual(['2026-01-01T12:00:00Z', '2026-01-02T00:00:00Z']);
  });

  test('a Flux variable passes through, unvalidated', () => {
    const s = BackupSchedule.expression('${CNPG_BACKUP_SCHEDULE}');
    expect(s.expressionString).toBe('${CNPG_BACKUP_SCHEDULE}');
    expect(s.isUnresolved).toBe(true);
    expect(s.maxIntervalSeconds).toBeUndefined();
    expect(() => s._validate('x', 'schedule')).not.toThrow();
    expect(() => s.nextFireTimes(from, 1)).toThrow(/only known at apply time/);
  });

  test('the longest gap of irregular schedules', () => {
    expect(BackupSchedule.expression('0 0 2,6 * * *').maxIntervalSeconds).toBe(20 * 3600);
    expect(BackupSchedule.expression('0 0 2,6 * * *').minIntervalSeconds).toBe(4 * 3600);
    expect(BackupSchedule.expression('0 0 1 * * 1-5').maxIntervalSeconds).toBe(3 * 86400); // Friday to Monday
    expect(BackupSchedule.expression('@weekly').maxIntervalSeconds).toBe(7 * 86400);
    expect(BackupSchedule.expression('@monthly').maxIntervalSeconds).toBe(31 * 86400);
    expect(BackupSchedule.expression('@yearly').maxIntervalSeconds).toBe(366 * 86400); // 2027 to 2028
    expect(BackupSchedule.expression('0 0 2 29 2 *').maxIntervalSeconds).toBe((4 * 365 + 1) * 86400);
  });

  // CNPG's semantics, asserted here on the library's side; test/integ/cron.test.ts asks
  // robfig/cron v1.2.0 itself about a larger table.
  test.each([
    ['0 30 1 * * *', ['2026-01-01T01:30:00Z', '2026-01-02T01:30:00Z']],
    ['0 0 2 * * MON-FRI', ['2026-01-01T02:00:00Z', '2026-01-02T02:00:00Z', '2026-01-05T02:00:00Z']],
    ['0 0 2 * * ?', ['2026-01-01T02:00:00Z']],
    // Day of month and day of week both restricted: either matches (OR).
    ['0 0 2 15 * 1', ['2026-01-05T02:00:00Z', '2026-01-12T02:00:00Z', '2026-01-15T02:00:00Z']],
    // A wildcard step in day of month keeps robfig's star bit: both must match (AND).
    ['0 0 2 */2 * 1', ['2026-01-05T02:00:00Z', '2026-01-19T02:00:00Z']],
    // "N/step" means "N-max/step".
    ['0 0 3/12 * * *', ['2026-01-01T03:00:00Z', '2026-01-01T15:00:00Z']],
    ['0 0 2 * jan,JUL *', ['2026-01-01T02:00:00Z']],
  ])('%s fires as CloudNativePG fires it', (expr, expected) => {
    const s = BackupSchedule.expression(expr);
    expect(() => s._validate('x', 'schedule')).not.toThrow();
    expect(s.nextFireTimes(from, expected.length).map(iso)).toEqual(expected);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['five fields: hourly under CNPG\'s reading', '0 2 * * *',
      /schedule = "0 2 \* \* \*" has 5 fields; CloudNativePG reads six with the seconds first.*24 backups on each day it fires, the first at 00:02:00 UTC\. Fix: write six fields with the seconds first, e\.g\. "0 0 2 \* \* \*": prepend the seconds field, never append one/],
    ['five fields: weekly rejected by CNPG (0 lands in the month field)', '0 1 * * 0',
      /has 5 fields; .*reject it: it has 0 in the month field "0", below its minimum 1\. Fix: write six fields with the seconds first, e\.g\. "0 0 1 \* \* 0"/],
    ['five fields: a day-of-month schedule', '30 1 15 * *', /Fix: write six fields with the seconds first, e\.g\. "0 30 1 15 \* \*"/],
    ['hour out of range', '0 0 24 * * *', /has 24 in the hour field "24", above its maximum 23/],
    ['Sunday as 7', '0 0 2 * * 7', /above its maximum 6 \(Sunday is 0 or SUN; 7 is not accepted\)/],
    ['Quartz L', '0 0 2 L * *', /"L" in the day of month field "L", which is not a number \(robfig\/cron has no L, W, # or H\)/],
    ['Quartz #', '0 0 2 * * 1#2', /robfig\/cron has no L, W, # or H/],
    ['seven fields', '0 0 2 * * * 2026', /has 7 fields; six are needed/],
    ['words', 'every day at two', /has 4 fields/],
    ['empty', '', /schedule = "" is not a schedule CloudNativePG can parse .*: it is empty/],
    ['upper-case descriptor', '@Daily', /is not a descriptor robfig\/cron knows/],
    ['bad duration', '@every day', /"day", which is not a Go duration/],
    ['reversed range', '0 0 22-2 * * *', /beginning 22 is beyond its end 2/],
    ['zero step', '0 0 */0 * * *', /a step of 0/],
    ['never fires', '0 0 0 30 2 *', /never fires: no date within five years matches/],
    ['every second', '* * * * * *', /fires 1 s after a previous backup \(86400 base backups on each day it fires\).* Fix: take base backups at most hourly/],
    ['every 15 minutes', '0 */15 * * * *', /fires 15 min after a previous backup/],
    ['@every 30m', '@every 30m', /fires 30 min after a previous backup/],
    ['dailyAt(24)', '', /dailyAt\(24, 0\)" is not a time of day/],
  ];
  test.each(bad)('rejects %s', (_name, expr, message) => {
    const s = expr === '' && _name.startsWith('dailyAt') ? BackupSchedule.dailyAt(24) : BackupSchedule.expression(expr);
    expect(() => s._validate('ClusterBackup at \'c/db/Backup\'', 'schedule')).toThrow(message);
    expect(s.maxIntervalSeconds).toBeUndefined();
  });
});

describe('the analysis, with whole messages (fire times from robfig/cron v1.2.0, from 2025-12-31T23:59:59Z)', () => {
  const refusal = (s: BackupSchedule) => {
    try {
      s._validate('x', 'schedule');
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error(`${s.source} was accepted`);
  };
  const SIX_FIELD_FIX = 'Fix: write six fields with the seconds first, e.g. "0 0 2 * * *" for 02:00:00 UTC every day (or BackupSchedule.dailyAt(2))';
  const HOURLY_FIX = 'Fix: take base backups at most hourly (WAL archiving already gives point-in-time recovery between them), e.g. "0 0 2 * * *" for one a day';

  test.each([
    ['0 0 24 * * *', `x: schedule = "0 0 24 * * *" is not a schedule CloudNativePG can parse (robfig/cron v1.2.0): it has 24 in the hour field "24", above its maximum 23. ${SIX_FIELD_FIX}`],
    // Five fields after "@" are a descriptor with a bad duration, not a crontab line.
    ['@every 1 2 3 4', `x: schedule = "@every 1 2 3 4" is not a schedule CloudNativePG can parse (robfig/cron v1.2.0): it has "1 2 3 4", which is not a Go duration such as "12h" or "1h30m". ${SIX_FIELD_FIX}`],
    ['0 0 0 30 2 *', 'x: schedule = "0 0 0 30 2 *" never fires: no date within five years matches its day-of-month, month and day-of-week fields. Fix: check the day and month fields, e.g. "0 0 2 * * *"'],
    // A seconds field that matches nothing (robfig accepts it and never fires).
    [', 0 2 * * *', 'x: schedule = ", 0 2 * * *" never fires: no date within five years matches its day-of-month, month and day-of-week fields. Fix: check the day and month fields, e.g. "0 0 2 * * *"'],
    // 1 February 2026 (a Sunday, the 1st): the next 1st or 29th on a Sunday in February is in 2032.
    ['0 0 0 */28 2 */7', 'x: schedule = "0 0 0 */28 2 */7" fires on a single day (no other within five years). Fix: schedule a recurring backup, e.g. "0 0 2 * * *"'],
    ['0 * * * * *', `x: schedule = "0 * * * * *" fires 1 min after a previous backup (1440 base backups on each day it fires); base backups more often than hourly pile up Backup objects and load the instances. ${HOURLY_FIX}`],
    ['@every 60s', `x: schedule = "@every 60s" fires 1 min after a previous backup; base backups more often than hourly pile up Backup objects and load the instances. ${HOURLY_FIX}`],
    ['@every 59s', `x: schedule = "@every 59s" fires 59 s after a previous backup; base backups more often than hourly pile up Backup objects and load the instances. ${HOURLY_FIX}`],
    ['@every 59m59s', `x: schedule = "@every 59m59s" fires 60 min after a previous backup; base backups more often than hourly pile up Backup objects and load the instances. ${HOURLY_FIX}`],
  ])('%j is refused', (expr, message) => {
    const s = BackupSchedule.expression(expr);
    expect(refusal(s)).toBe(message);
    expect(s.minIntervalSeconds).toBeUndefined();
    expect(s._afterLongestGap).toBeUndefined();
    const p = scheduleProblem(expr)!;
    expect(`x: schedule = ${JSON.stringify(expr)} ${p.problem}. Fix: ${p.fix}`).toBe(message);
  });

  const FIVE = 'has 5 fields; CloudNativePG reads six with the seconds first, so a five-field (crontab) expression runs at the wrong time: CloudNativePG would read it as';
  test.each([
    ['0 0 1 * *', `x: schedule = "0 0 1 * *" ${FIVE} "0 0 1 * * *" (second minute hour day-of-month month): 1 backup on each day it fires, the first at 01:00:00 UTC. `
      + 'Fix: write six fields with the seconds first, e.g. "0 0 0 1 * *": prepend the seconds field, never append one (or use BackupSchedule.dailyAt(hour, minute))'],
    // (Expressions no other test asks about: an analysis is cached, and Stryker counts a test as covering only what it ran.)
    ['0 3 * * 0', `x: schedule = "0 3 * * 0" ${FIVE} "0 3 * * 0 *" (second minute hour day-of-month month) and reject it: it has 0 in the month field "0", below its minimum 1. `
      + 'Fix: write six fields with the seconds first, e.g. "0 0 3 * * 0": prepend the seconds field, never append one (or use BackupSchedule.dailyAt(hour, minute))'],
    ['0 2 , * *', `x: schedule = "0 2 , * *" ${FIVE} "0 2 , * * *" (second minute hour day-of-month month), which never fires. `
      + 'Fix: write six fields with the seconds first, e.g. "0 0 2 , * *": prepend the seconds field, never append one (or use BackupSchedule.dailyAt(hour, minute))'],
    // White space around and between the five fields (Go's strings.Fields).
    [' 0 2 * *\t* ', `x: schedule = " 0 2 * *\\t* " ${FIVE} "0 2 * * * *" (second minute hour day-of-month month): 24 backups on each day it fires, the first at 00:02:00 UTC. `
      + 'Fix: write six fields with the seconds first, e.g. "0 0 2 * * *": prepend the seconds field, never append one (or use BackupSchedule.dailyAt(hour, minute))'],
    ['0  2 * * *', `x: schedule = "0  2 * * *" ${FIVE} "0 2 * * * *" (second minute hour day-of-month month): 24 backups on each day it fires, the first at 00:02:00 UTC. `
      + 'Fix: write six fields with the seconds first, e.g. "0 0 2 * * *": prepend the seconds field, never append one (or use BackupSchedule.dailyAt(hour, minute))'],
  ])('five fields: %j', (expr, message) => {
    expect(refusal(BackupSchedule.expression(expr))).toBe(message);
  });

  test('hourly is the most often accepted', () => {
    for (const expr of ['@hourly', '0 0 * * * *', '@every 1h']) {
      const s = BackupSchedule.expression(expr);
      expect(() => s._validate('x', 'schedule')).not.toThrow();
      expect([s.minIntervalSeconds, s.maxIntervalSeconds]).toEqual([3600, 3600]);
    }
  });

  test('the activation after the longest gap', () => {
    const after = (expr: string) => iso(BackupSchedule.expression(expr)._afterLongestGap!);
    // Equal gaps: the first (2026-01-01 then 2026-01-02, as robfig fires it).
    expect(after('0 0 2 * * *')).toBe('2026-01-02T02:00:00Z');
    // 02:00, 20:00, 02:00: the 18-hour gap inside the day.
    expect(after('0 0 2,20 * * *')).toBe('2026-01-01T20:00:00Z');
    // 02:00, 06:00, 02:00: the 20-hour gap across midnight.
    expect(after('0 0 2,6 * * *')).toBe('2026-01-02T02:00:00Z');
    expect(after('@every 6h')).toBe('2026-01-01T05:59:59Z');
    expect(BackupSchedule.expression('${S}')._afterLongestGap).toBeUndefined();
  });

  test('a rare schedule is followed until six activations are known', () => {
    // robfig: 2026-02-01, 03-01, 03-29, 11-01, 11-29, 2027-08-01 (five within the first 400 days): gaps of 28, 28, 217, 28, 245 days.
    const s = BackupSchedule.expression('0 0 0 */28 * */7');
    expect(s.maxIntervalSeconds).toBe(245 * 86400);
    expect(s.minIntervalSeconds).toBe(28 * 86400);
    expect(iso(s._afterLongestGap!)).toBe('2027-08-01T00:00:00Z');
  });

  test('constant delay or not', () => {
    expect(BackupSchedule.expression('@every 6h')._isConstantDelay).toBe(true);
    expect(BackupSchedule.expression('@daily')._isConstantDelay).toBe(false);
    expect(BackupSchedule.expression('${S}')._isConstantDelay).toBe(false);
  });

  test('scheduleProblem passes a Flux variable, and a good schedule', () => {
    expect(scheduleProblem('${CNPG_BACKUP_SCHEDULE}')).toBeUndefined();
    expect(scheduleProblem('0 ${M} 2 * *')).toBeUndefined();
    expect(scheduleProblem('0 0 2 * * *')).toBeUndefined();
  });

  test.each([
    [-1, 0], [2.5, 0], [24, 0], [2, 60], [2, -1], [2, 0.5],
  ])('dailyAt(%d, %d) is not a time of day', (hour, minute) => {
    const s = BackupSchedule.dailyAt(hour, minute);
    expect(s.expressionString).toBe(`dailyAt(${hour}, ${minute})`);
    expect(refusal(s)).toBe(`x: schedule = "dailyAt(${hour}, ${minute})" is not a time of day. Fix: give an hour 0-23 and a minute 0-59, e.g. BackupSchedule.dailyAt(2) for 02:00 UTC`);
  });

  test('dailyAt on both bounds', () => {
    expect(BackupSchedule.dailyAt(0, 0).expressionString).toBe('0 0 0 * * *');
    expect(BackupSchedule.dailyAt(23, 59).expressionString).toBe('0 59 23 * * *');
    expect(BackupSchedule.dailyAt(23, 59).maxIntervalSeconds).toBe(86400);
  });

  test('fire times of an invalid or unresolved schedule: the whole message', () => {
    expect(() => BackupSchedule.expression('0 0 24 * * *').nextFireTimes(from, 1)).toThrow(new Error('BackupSchedule("0 0 24 * * *"): expression = "0 0 24 * * *" '
      + 'is not a schedule CloudNativePG can parse (robfig/cron v1.2.0): it has 24 in the hour field "24", above its maximum 23. '
      + SIX_FIELD_FIX));
    expect(() => BackupSchedule.expression('${S}').nextFireTimes(from, 1)).toThrow(new Error('BackupSchedule("${S}"): expression = "${S}" '
      + 'is a Flux variable, only known at apply time. Fix: use the value, not the variable, to compute fire times'));
  });
});

/* eslint-disable @typescript-eslint/no-require-imports -- modules loaded inside jest.isolateModules, after their mocks */
describe('schedules are analysed lazily, once per expression', () => {
  afterEach(() => jest.resetModules());

  test('loading the library and naming a schedule analyse nothing; an analysis needs no croner', () => {
    jest.isolateModules(() => {
      jest.doMock('croner', () => {
        throw new Error('croner loaded');
      });
      const cron = jest.requireActual('../src/backup/cron');
      const matchingDays = jest.fn(cron.cronMatchingDays);
      jest.doMock('../src/backup/cron', () => ({ ...cron, cronMatchingDays: matchingDays }));
      const lib = require('../src') as typeof import('../src');
      expect(lib.BackupSchedule.DAILY_AT_2.expressionString).toBe('0 0 2 * * *');
      expect(lib.BackupSchedule.expression('@weekly').expressionString).toBe('0 0 0 * * 0');
      expect(lib.BackupSchedule.dailyAt(3).toString()).toBe('0 0 3 * * *');
      expect(matchingDays).not.toHaveBeenCalled();
      // The first question about the schedule is what analyses it, without croner.
      expect(lib.BackupSchedule.DAILY_AT_2.maxIntervalSeconds).toBe(86400);
      expect(matchingDays).toHaveBeenCalled();
      // Fire times are croner's.
      expect(() => lib.BackupSchedule.DAILY_AT_2.nextFireTimes(new Date(0), 1)).toThrow(/croner loaded/);
    });
  });

  test('three questions about one expression, from several schedules and the settings check, cost one analysis', () => {
    jest.isolateModules(() => {
      const cron = jest.requireActual('../src/backup/cron');
      const matchingDays = jest.fn(cron.cronMatchingDays);
      jest.doMock('../src/backup/cron', () => ({ ...cron, cronMatchingDays: matchingDays }));
      const lib = require('../src') as typeof import('../src');
      const { scheduleProblem: problem } = require('../src/backup/schedule') as typeof import('../src/backup/schedule');
      expect(lib.BackupSchedule.expression('0 0 4 * * *').maxIntervalSeconds).toBe(86400);
      expect(matchingDays).toHaveBeenCalledTimes(1);
      expect(lib.BackupSchedule.expression('0 0 4 * * *').minIntervalSeconds).toBe(86400);
      expect(lib.BackupSchedule.dailyAt(4).maxIntervalSeconds).toBe(86400);
      expect(problem('0 0 4 * * *')).toBeUndefined();
      expect(matchingDays).toHaveBeenCalledTimes(1);
      // Another expression is another analysis.
      expect(lib.BackupSchedule.expression('0 0 5 * * *').maxIntervalSeconds).toBe(86400);
      expect(matchingDays).toHaveBeenCalledTimes(2);
      // The first is still known.
      expect(lib.BackupSchedule.expression('0 0 4 * * *').minIntervalSeconds).toBe(86400);
      expect(matchingDays).toHaveBeenCalledTimes(2);
    });
  });

  test('the cache holds 1000 expressions: the 1001st empties it', () => {
    jest.isolateModules(() => {
      const cron = jest.requireActual('../src/backup/cron');
      // No matching day: each analysis asks twice (the year, then the rare-day follow-up) and is quick.
      const matchingDays = jest.fn(() => []);
      jest.doMock('../src/backup/cron', () => ({ ...cron, cronMatchingDays: matchingDays }));
      const { scheduleProblem: problem } = require('../src/backup/schedule') as typeof import('../src/backup/schedule');
      const expressions = Array.from({ length: 1001 }, (_, i) => `0 ${i % 60} ${Math.floor(i / 60)} * * *`);
      expressions.slice(0, 1000).forEach((e) => problem(e));
      problem(expressions[0]);
      expect(matchingDays).toHaveBeenCalledTimes(2000);
      problem(expressions[1000]);
      expect(matchingDays).toHaveBeenCalledTimes(2002);
      problem(expressions[0]);
      expect(matchingDays).toHaveBeenCalledTimes(2004);
      problem(expressions[1000]);
      expect(matchingDays).toHaveBeenCalledTimes(2004);
    });
  });

  test('a shared analysis cannot be changed through one of its schedules', () => {
    const a = BackupSchedule.expression('0 0 6 * * *');
    const first = a._afterLongestGap!;
    first.setTime(0);
    expect(BackupSchedule.expression('0 0 6 * * *')._afterLongestGap!.getTime()).not.toBe(0);
  });

  test.each(['constructor', '__proto__', 'toString'])('"%s" is written as given and refused (not read from the descriptor table\'s prototype)', (expr) => {
    const s = BackupSchedule.expression(expr);
    expect(s.expressionString).toBe(expr);
    expect(() => s._validate('x', 'schedule')).toThrow(/has 1 field; six are needed/);
  });
});
/* eslint-enable @typescript-eslint/no-require-imports */

describe('the matching days of an analysis are the days croner finds', () => {
  // cronMatchingDays walks the calendar with robfig's day rule; cronFireTimes asks croner (which
  // test/integ/cron.test.ts compares with robfig/cron itself) for the same schedule at midnight.
  const dom = fc.constantFrom('*', '?', '1', '15', '29', '30', '31', '1-7', '*/2', '5/10', '1,15', '28-31', '13');
  const month = fc.constantFrom('*', '?', '2', '1,7', '*/3', 'feb', '4-6', '12', '2/5');
  const dow = fc.constantFrom('*', '?', '0', '1-5', '6', 'MON', '*/2', 'fri', '0,6', '5');
  const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2031, 0, 1) }).map((t) => new Date(t));

  test('any day fields, start, count and end', () => {
    fc.assert(fc.property(dom, month, dow, instant, fc.integer({ min: 1, max: 40 }), fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined }),
      (d, m, w, start, count, untilDays) => {
        const parsed = parseRobfigCron(`0 0 0 ${d} ${m} ${w}`);
        if (parsed.kind !== 'spec') throw new Error('a spec schedule');
        const until = untilDays === undefined ? undefined : new Date(start.getTime() + untilDays * 86400_000);
        expect(cronMatchingDays(parsed, start, count, until).map(iso)).toEqual(cronFireTimes(parsed, start, count, until).map(iso));
      }), { numRuns: 300 });
  });

  test('from a midnight that matches, and schedules that never match', () => {
    const at = new Date('2026-03-02T00:00:00Z');
    for (const expr of ['0 0 0 * * *', '0 0 0 2 3 *', '0 0 0 30 2 *', '0 0 0 31 4 *', '0 0 0 29 2 *']) {
      const parsed = parseRobfigCron(expr) as ParsedCron & { kind: 'spec' };
      expect(cronMatchingDays(parsed, at, 8).map(iso)).toEqual(cronFireTimes(parsed, at, 8).map(iso));
    }
  });
});
