/**
 * The robfig/cron v1.2.0 re-implementation (src/backup/cron.ts) read directly: the fields it parses,
 * the expressions it refuses (with the whole message), Go's durations and the fire-time search's
 * limits. Every expected field list, validity and fire time below was taken from robfig/cron v1.2.0
 * itself (its `SpecSchedule` bits, `cron.Parse` errors and `Next`, and Go's `time.ParseDuration`),
 * not from this library; test/integ/cron.test.ts compares a larger table with robfig at run time.
 */
import { cronFireTimes, cronMatchingDays, CronSyntaxError, ParsedCron, parseGoDuration, parseRobfigCron } from '../src/backup/cron';

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const ALL_DOM = range(1, 31);
const ALL_MONTHS = range(1, 12);
const ALL_DOW = range(0, 6);

function spec(expr: string): ParsedCron & { kind: 'spec' } {
  const p = parseRobfigCron(expr);
  if (p.kind !== 'spec') throw new Error(`${expr} is not a spec schedule`);
  return p;
}

describe('fields as robfig/cron v1.2.0 sets its bits', () => {
  // [expression, [second, minute, hour, dom, month, dow], robfig's star bit of dom or dow (AND), field count]
  test.each([
    ['0 0 2 1-10/3 * *', [[0], [0], [2], [1, 4, 7, 10], ALL_MONTHS, ALL_DOW], true, 6],
    ['0 0 2-10/4 * * *', [[0], [0], [2, 6, 10], ALL_DOM, ALL_MONTHS, ALL_DOW], true, 6],
    ['0 0 2 1,,15 * *', [[0], [0], [2], [1, 15], ALL_MONTHS, ALL_DOW], true, 6],
    ['0 0 10,2,22 * * *', [[0], [0], [2, 10, 22], ALL_DOM, ALL_MONTHS, ALL_DOW], true, 6],
    ['0 0 +2 * * *', [[0], [0], [2], ALL_DOM, ALL_MONTHS, ALL_DOW], true, 6],
    ['5/10 0 0 * * *', [[5, 15, 25, 35, 45, 55], [0], [0], ALL_DOM, ALL_MONTHS, ALL_DOW], true, 6],
    ['0 0 2 ?/10 * *', [[0], [0], [2], [1, 11, 21, 31], ALL_MONTHS, ALL_DOW], true, 6],
    ['0 0 2 * jan-MAR,oct *', [[0], [0], [2], ALL_DOM, [1, 2, 3, 10], ALL_DOW], true, 6],
    ['0 0 2 * 2/5 *', [[0], [0], [2], ALL_DOM, [2, 7, 12], ALL_DOW], true, 6],
    ['0 0 2 * * sun/2', [[0], [0], [2], ALL_DOM, ALL_MONTHS, [0, 2, 4, 6]], true, 6],
    ['0 0 2 15 * 1', [[0], [0], [2], [15], ALL_MONTHS, [1]], false, 6],
    ['0 0 2 , * *', [[0], [0], [2], [], ALL_MONTHS, ALL_DOW], true, 6],
    ['59 59 23 31 12 6', [[59], [59], [23], [31], [12], [6]], false, 6],
    // Five fields: robfig's default day of week is "*" (its star bit: AND).
    ['0 30 1 15 *', [[0], [30], [1], [15], ALL_MONTHS, ALL_DOW], true, 5],
    // strings.Fields: white space around and between the fields.
    ['  0 0 2 15 * 1  ', [[0], [0], [2], [15], ALL_MONTHS, [1]], false, 6],
    ['0\t0  2 15 * 1', [[0], [0], [2], [15], ALL_MONTHS, [1]], false, 6],
  ] as Array<[string, number[][], boolean, number]>)('%s', (expr, fields, dayAnd, fieldCount) => {
    expect(parseRobfigCron(expr)).toStrictEqual({ kind: 'spec', fields, dayAnd, fieldCount });
  });
});

describe('what robfig refuses, with the whole message', () => {
  const message = (expr: string) => {
    try {
      parseRobfigCron(expr);
    } catch (e) {
      if (!(e instanceof CronSyntaxError)) throw e;
      return e.message;
    }
    throw new Error(`${JSON.stringify(expr)} was accepted`);
  };
  test.each([
    ['60 * * * * *', 'has 60 in the second field "60", above its maximum 59'],
    ['0 60 * * * *', 'has 60 in the minute field "60", above its maximum 59'],
    ['0 0 24 * * *', 'has 24 in the hour field "24", above its maximum 23'],
    ['0 0 2 * * 7', 'has 7 in the day of week field "7", above its maximum 6 (Sunday is 0 or SUN; 7 is not accepted)'],
    ['0 0 2 0 * *', 'has 0 in the day of month field "0", below its minimum 1'],
    ['0 0 2-3-4 * * *', 'has too many hyphens in the hour field "2-3-4"'],
    ['0 0 2/3/4 * * *', 'has too many slashes in the hour field "2/3/4"'],
    ['0 0 2 * * 1/x', 'has "x" in the day of week field "1/x", which is not a number'],
    ['0 0 0x2 * * *', 'has "0x2" in the hour field "0x2", which is not a number'],
    ['0 0 2 * * 5L', 'has "5L" in the day of week field "5L", which is not a number (robfig/cron has no L, W, # or H)'],
    // Go's Atoi reads "-1"; robfig then refuses negative numbers (only a step can be one: "-1" alone is a range).
    ['0 0 2 * * 1/-1', 'has a negative number in the day of week field "1/-1"'],
    ['0 0 -1 * * *', 'has "" in the hour field "-1", which is not a number'],
    ['0 0 */-0 * * *', 'has a step of 0 in the hour field "*/-0"'],
    ['0 0 2', 'has 3 fields; six are needed (second minute hour day-of-month month day-of-week)'],
    ['0', 'has 1 field; six are needed (second minute hour day-of-month month day-of-week)'],
    ['@every 1 2 3 4', 'has "1 2 3 4", which is not a Go duration such as "12h" or "1h30m"'],
    ['@every ', 'has "", which is not a Go duration such as "12h" or "1h30m"'],
    ['@every -', 'has "-", which is not a Go duration such as "12h" or "1h30m"'],
    ['@every h', 'has "h", which is not a Go duration such as "12h" or "1h30m"'],
    ['@every .h', 'has ".h", which is not a Go duration such as "12h" or "1h30m"'],
    ['@every 1x', 'has "1x", which is not a Go duration such as "12h" or "1h30m"'],
  ])('%j', (expr, expected) => {
    expect(message(expr)).toBe(expected);
  });
});

describe('Go durations (time.ParseDuration), and @every as robfig rounds them', () => {
  test.each([
    ['0', 0], ['-0', 0], ['+0', 0], ['1h', 3600e9], ['+1h', 3600e9], ['-1h', -3600e9], ['1h30m', 5400e9], ['1.5h', 5400e9], ['1.25h', 4500e9],
    ['.5h', 1800e9], ['1.h', 3600e9], ['100ms', 100e6], ['1500ms', 1500e6], ['2m3s', 123e9], ['1us', 1e3], ['1µs', 1e3], ['1μs', 1e3], ['1ns', 1],
    ['1h0m0s', 3600e9], ['0.5s', 500e6], ['2562047h', 2562047 * 3600e9],
  ] as Array<[string, number]>)('%s is %d ns', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
  });

  test.each(['', '-', '+', '00', '.h', '.', 'h', '1', '1x', '1d', '1h 30m', ' 1h', '1e3s', '3h-1m', '1m1', '--1h', '1H',
    // A line break anywhere (no crash), and past an int64 of nanoseconds (Go: "invalid duration").
    // 9223372036854775808ns is exactly 2^63 ns: one past the limit (robfig v1.2.0: 'time: invalid duration').
    '1h\n', '\n1h', '2562048h', '-2562048h', '9223372037s', '9223372036854775808ns'])('%j is refused', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  // robfig's Every(): below a second is a second, sub-second parts are dropped.
  test.each([
    ['@every 0', 1], ['@every -0', 1], ['@every -1h', 1], ['@every 500ms', 1], ['@every 1500ms', 1], ['@every 90s', 90], ['@every 1.25h', 4500],
    ['@every 3600000000000ns', 3600],
  ] as Array<[string, number]>)('%s fires every %d s', (expr, delaySeconds) => {
    expect(parseRobfigCron(expr)).toStrictEqual({ kind: 'every', delaySeconds });
  });
});

describe('fire times', () => {
  const from = new Date('2025-12-31T23:59:59Z');

  test('@every from an instant, and up to `until` inclusive', () => {
    const every = parseRobfigCron('@every 1.25h');
    expect(cronFireTimes(every, from, 3).map(iso)).toEqual(['2026-01-01T01:14:59Z', '2026-01-01T02:29:59Z', '2026-01-01T03:44:59Z']);
    expect(cronFireTimes(every, from, 5, new Date('2026-01-01T02:29:59Z')).map(iso)).toEqual(['2026-01-01T01:14:59Z', '2026-01-01T02:29:59Z']);
  });

  test('`until` is inclusive for spec schedules too (croner and the calendar walk)', () => {
    const daily = spec('0 0 0 * * *');
    const until = new Date('2026-01-03T00:00:00Z');
    expect(cronFireTimes(daily, from, 5, until).map(iso)).toEqual(['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z']);
    expect(cronMatchingDays(daily, from, 5, until).map(iso)).toEqual(['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z']);
  });

  // robfig (spec.go Next) searches to the end of the fifth year after the year of the next whole
  // second: from 1 January almost six years, from 31 December five. Expected values: the robfig
  // v1.2.0 oracle (test/integ/cron.test.ts runs it on the same instants).
  test.each([
    ['2099-01-01T00:00:00Z', ['2104-02-29T00:00:00Z', '2108-02-29T00:00:00Z', '2112-02-29T00:00:00Z']],
    ['2098-12-31T23:59:59Z', ['2104-02-29T00:00:00Z', '2108-02-29T00:00:00Z', '2112-02-29T00:00:00Z']],
    ['2098-12-31T23:59:58.900Z', []],
    ['2097-03-01T00:00:00Z', []],
    ['2103-03-01T00:00:00Z', ['2104-02-29T00:00:00Z', '2108-02-29T00:00:00Z', '2112-02-29T00:00:00Z']],
  ])('29 February from %s, across 2100 (no leap day for seven years)', (start, expected) => {
    const leapDay = spec('0 0 0 29 2 *');
    expect(cronFireTimes(leapDay, new Date(start), 3).map(iso)).toEqual(expected);
    expect(cronMatchingDays(leapDay, new Date(start), 3).map(iso)).toEqual(expected);
  });

  test('29 February on a Sunday (robfig ANDs a day-of-week step with the day of month): from 2027, 2032 only', () => {
    // robfig v1.2.0: `*/7` keeps the star bit, so the day fields are ANDed; `Next` from 2027-01-01 gives 2032-02-29, then gives up.
    expect(cronFireTimes(spec('0 0 0 29 2 */7'), new Date('2027-01-01T00:00:00Z'), 2).map(iso)).toEqual(['2032-02-29T00:00:00Z']);
  });

  // A field written out in full is not a wildcard for robfig: "1-31" with a day of week is an OR.
  test.each([
    ['0 0 2 1-31 * 1', ['2026-01-01T02:00:00Z', '2026-01-02T02:00:00Z', '2026-01-03T02:00:00Z']],
    ['0 0 2 15 * 0-6', ['2026-01-01T02:00:00Z', '2026-01-02T02:00:00Z', '2026-01-03T02:00:00Z']],
    ['0 0 2,20 * * *', ['2026-01-01T02:00:00Z', '2026-01-01T20:00:00Z', '2026-01-02T02:00:00Z']],
  ])('%s', (expr, expected) => {
    expect(cronFireTimes(parseRobfigCron(expr), from, 3).map(iso)).toEqual(expected);
  });

  test.each([', 0 2 * * *', '0 0 2 * , *', '0 0 2 , * *', '0 0 2 , * ,', '0 0 2 1 , 1', ', 0 2 , * 1'])('%j has a field that matches nothing: it never fires', (expr) => {
    expect(cronFireTimes(parseRobfigCron(expr), from, 3)).toEqual([]);
    // The calendar walk reads only the day and month fields.
    if (!expr.startsWith(',')) expect(cronMatchingDays(spec(expr), from, 3)).toEqual([]);
  });

  // robfig ORs two day fields without a star: an empty one (",") leaves the other to decide, on
  // every day it names (robfig v1.2.0's Next, 13 activations: a Monday the 30th, a 1st on a Friday
  // and on a Saturday).
  test.each([
    ['0 0 2 , * 1', ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23',
      '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30']],
    ['0 0 2 1 * ,', ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01',
      '2026-09-01', '2026-10-01', '2026-11-01', '2026-12-01', '2027-01-01']],
  ])('%s: an empty day field ORed with the other fires on the other', (expr, days) => {
    expect(cronFireTimes(parseRobfigCron(expr), from, 13).map(iso)).toEqual(days.map((d) => `${d}T02:00:00Z`));
    expect(cronMatchingDays(spec(expr), from, 13).map(iso)).toEqual(days.map((d) => `${d}T00:00:00Z`));
  });

  test('an activation exactly 5 × 366 days after the start is still found; robfig gives up on one six years ahead', () => {
    // February 29 on a Sunday (robfig's star bit in the day of week: AND): 2032-02-29, 1830 days after 2027-02-25.
    const leapSunday = spec('0 0 0 29 2 */7');
    const start = new Date('2027-02-25T00:00:00Z');
    expect(cronFireTimes(leapSunday, start, 1).map(iso)).toEqual(['2032-02-29T00:00:00Z']);
    expect(cronMatchingDays(leapSunday, start, 1).map(iso)).toEqual(['2032-02-29T00:00:00Z']);
    // From 2026 robfig looks until the end of 2031 and finds nothing; croner alone would find 2032-02-29.
    expect(cronFireTimes(leapSunday, new Date('2026-01-01T00:00:00Z'), 1)).toEqual([]);
    expect(cronMatchingDays(leapSunday, new Date('2026-01-01T00:00:00Z'), 1)).toEqual([]);
  });
});
