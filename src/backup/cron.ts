/**
 * CloudNativePG's reading of a ScheduledBackup schedule, for synth-time checks.
 *
 * CNPG 1.30 parses `spec.schedule` with github.com/robfig/cron v1.2.0 `cron.Parse`: seconds
 * first, six fields (day-of-week optional), `*` and `?` wildcards, `a-b` ranges, `/n` steps
 * (`n/s` meaning `n-max/s`), comma lists, month and weekday names, and the descriptors
 * `@yearly @annually @monthly @weekly @daily @midnight @hourly @every <Go duration>`. Day of
 * month and day of week are ANDed when either field contains a wildcard (even `*\/2`), ORed
 * otherwise. No npm cron library reads this grammar as robfig does (they accept `L`, `W`, `#`,
 * `7` for Sunday, seven fields, and read `*\/2` as a restriction), so the grammar is checked
 * here, field by field as robfig's `getRange` does, and each field is handed to croner as the
 * explicit list of values robfig computed; croner then finds the fire times, with robfig's
 * AND/OR choice for the two day fields. test/integ/cron.test.ts compares the answers with
 * robfig/cron v1.2.0 itself.
 *
 * @internal
 */
import type { Cron } from 'croner';

let cronClass: typeof Cron | undefined;
/** croner, loaded when a schedule's fire times are first needed rather than with the library. */
function croner(): typeof Cron {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load, typed by the import type above
  return cronClass ??= (require('croner') as typeof import('croner')).Cron;
}

interface Bounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Record<string, number>;
}

const MONTH_NAMES: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const DOW_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** The six fields, in robfig's order. */
export const CRON_FIELDS: readonly Bounds[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day of week', min: 0, max: 6, names: DOW_NAMES },
];

/** robfig's descriptors and the six-field schedule each stands for. */
export const CRON_DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

/** A schedule as robfig reads it. */
export type ParsedCron =
  | { readonly kind: 'spec'; readonly fields: number[][]; readonly dayAnd: boolean; readonly fieldCount: number }
  | { readonly kind: 'every'; readonly delaySeconds: number };

/** Why robfig would reject an expression. */
export class CronSyntaxError extends Error {}

/**
 * Parses an expression exactly as robfig/cron v1.2.0 `cron.Parse` does (five fields are
 * accepted, as robfig accepts them; callers reject them). Throws CronSyntaxError.
 */
export function parseRobfigCron(spec: string): ParsedCron {
  if (spec.length === 0) throw new CronSyntaxError('is empty');
  if (spec[0] === '@') {
    const six = CRON_DESCRIPTORS[spec];
    if (six !== undefined) return parseRobfigCron(six);
    if (spec.startsWith('@every ')) {
      const ns = parseGoDuration(spec.slice('@every '.length));
      if (ns === undefined) throw new CronSyntaxError(`has "${spec.slice('@every '.length)}", which is not a Go duration such as "12h" or "1h30m"`);
      // robfig: Every() rounds up to 1s and truncates sub-second parts.
      return { kind: 'every', delaySeconds: Math.max(1, Math.trunc(ns / 1e9)) };
    }
    throw new CronSyntaxError('is not a descriptor robfig/cron knows (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>; lower case)');
  }
  const parts = spec.split(/\s+/).filter((p) => p.length > 0);
  if (parts.length < 5 || parts.length > 6) {
    throw new CronSyntaxError(`has ${parts.length} field${parts.length === 1 ? '' : 's'}; six are needed (second minute hour day-of-month month day-of-week)`);
  }
  const expanded = parts.length === 5 ? [...parts, '*'] : parts;
  const fields: number[][] = [];
  const stars: boolean[] = [];
  expanded.forEach((text, i) => {
    const { values, star } = parseField(text, CRON_FIELDS[i]);
    fields.push(values);
    stars.push(star);
  });
  return { kind: 'spec', fields, dayAnd: stars[3] || stars[5], fieldCount: parts.length };
}

function parseField(text: string, b: Bounds): { values: number[]; star: boolean } {
  const set = new Set<number>();
  let star = false;
  // strings.FieldsFunc(field, ','): empty elements are dropped.
  for (const expr of text.split(',').filter((e) => e.length > 0)) {
    const r = parseRange(expr, b);
    r.values.forEach((v) => set.add(v));
    star = star || r.star;
  }
  return { values: [...set].sort((x, y) => x - y), star };
}

function parseRange(expr: string, b: Bounds): { values: number[]; star: boolean } {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  const where = `the ${b.name} field "${expr}"`;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0], b, where);
    if (lowAndHigh.length === 1) {
      end = start;
    } else if (lowAndHigh.length === 2) {
      end = parseIntOrName(lowAndHigh[1], b, where);
    } else {
      throw new CronSyntaxError(`has too many hyphens in ${where}`);
    }
  }
  let step: number;
  if (rangeAndStep.length === 1) {
    step = 1;
  } else if (rangeAndStep.length === 2) {
    step = goAtoi(rangeAndStep[1], where);
    if (singleDigit) end = b.max; // "N/step" means "N-max/step"
  } else {
    throw new CronSyntaxError(`has too many slashes in ${where}`);
  }
  if (start < b.min) throw new CronSyntaxError(`has ${start} in ${where}, below its minimum ${b.min}`);
  if (end > b.max) throw new CronSyntaxError(`has ${end} in ${where}, above its maximum ${b.max}${b.name === 'day of week' ? ' (Sunday is 0 or SUN; 7 is not accepted)' : ''}`);
  if (start > end) throw new CronSyntaxError(`has a range in ${where} whose beginning ${start} is beyond its end ${end}`);
  if (step === 0) throw new CronSyntaxError(`has a step of 0 in ${where}`);
  const values: number[] = [];
  for (let v = start; v <= end; v += step) values.push(v);
  return { values, star };
}

function parseIntOrName(text: string, b: Bounds, where: string): number {
  const named = b.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  return goAtoi(text, where);
}

/** Go's strconv.Atoi (optional sign, decimal digits), then robfig's "no negative numbers". */
function goAtoi(text: string, where: string): number {
  if (!/^[+-]?[0-9]+$/.test(text)) {
    throw new CronSyntaxError(`has "${text}" in ${where}, which is not a number${/[LW#H]/i.test(text) ? ' (robfig/cron has no L, W, # or H)' : ''}`);
  }
  const n = Number(text);
  if (n < 0) throw new CronSyntaxError(`has a negative number in ${where}`);
  return n;
}

const GO_UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration, in nanoseconds (undefined when Go would reject it). */
export function parseGoDuration(text: string): number | undefined {
  // `s`: a line break is part of the text (and makes it no duration), not the end of the match.
  const m = /^([+-]?)(.*)$/s.exec(text)!;
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2];
  if (body === '0') return 0;
  if (body === '') return undefined;
  const unit = /([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < body.length) {
    unit.lastIndex = pos;
    const u = unit.exec(body);
    if (!u || u[1] === '' || u[1] === '.') return undefined;
    total += Number(u[1]) * GO_UNITS[u[2]];
    pos = unit.lastIndex;
  }
  // Go refuses what does not fit an int64 of nanoseconds ("invalid duration"; 2562047h is the
  // largest whole number of hours). Within a microsecond of the limit a double cannot tell.
  if (total >= 2 ** 63) return undefined;
  return sign * total;
}

/**
 * The fields and AND/OR choice robfig's `dayMatches` amounts to. Two day fields ORed, one of them
 * matching nothing (robfig reads "," as no value, not as a wildcard): the other decides alone,
 * which is the empty one written in full and ANDed. Any other empty field matches nothing.
 */
function effectiveFields(parsed: ParsedCron & { kind: 'spec' }): { readonly fields: number[][]; readonly dayAnd: boolean } {
  const [, , , dom, , dow] = parsed.fields;
  if (parsed.dayAnd || (dom.length === 0) === (dow.length === 0)) return parsed;
  const full = (b: Bounds) => Array.from({ length: b.max - b.min + 1 }, (_, i) => b.min + i);
  return { fields: parsed.fields.map((values, i) => ((i === 3 || i === 5) && values.length === 0 ? full(CRON_FIELDS[i]) : values)), dayAnd: true };
}

/** How far robfig looks for the next activation before giving up ("never"). */
const SEARCH_YEARS = 5;
const DAY_MS = 86400_000;

/**
 * Where robfig's search for the activation after `t` (ms) ends, exclusive: the end of the fifth
 * year after the year of the next whole second (spec.go `Next`: `t = t.Add(1*time.Second -
 * t.Nanosecond())`, `yearLimit := t.Year() + 5`, no activation when `t.Year() > yearLimit`). From
 * 1 January that is almost six years, from 31 December five.
 */
function searchEnd(t: number): number {
  const year = new Date(Math.floor(t / 1000) * 1000 + 1000).getUTCFullYear();
  return Date.UTC(year + SEARCH_YEARS + 1, 0, 1);
}

/**
 * The days on which a spec schedule's day fields match, as their midnights (UTC) after `from`
 * (exclusive), at most `count`, none after `until` when given, none past the end of robfig's
 * search from the previous one (the end of its fifth year after): what {@link cronFireTimes}
 * gives for the schedule with its second, minute and hour fields set to 0, found by walking the
 * calendar a day at a time with robfig's `dayMatches` (month; day of month and day of week ANDed
 * when either field has a star, ORed otherwise) instead of asking croner for each activation (a
 * year of croner's searches took about 30 ms of CPU in a cold process, this walk about 1 ms).
 * test/backup-schedule.test.ts compares the two.
 */
export function cronMatchingDays(parsed: ParsedCron & { kind: 'spec' }, from: Date, count: number, until?: Date): Date[] {
  const { fields: [, , , dom, month, dow], dayAnd } = effectiveFields(parsed);
  const out: Date[] = [];
  if (!dom.length || !month.length || !dow.length) return out;
  const doms = new Set(dom);
  const months = new Set(month);
  const dows = new Set(dow);
  let previous = from.getTime();
  // The first midnight after `from` (a midnight before it, or `from` itself, plus a day).
  let t = Math.floor(previous / DAY_MS) * DAY_MS + DAY_MS;
  while (out.length < count) {
    if (t >= searchEnd(previous)) break;
    if (until && t > until.getTime()) break;
    const day = new Date(t);
    if (months.has(day.getUTCMonth() + 1)) {
      const domMatch = doms.has(day.getUTCDate());
      const dowMatch = dows.has(day.getUTCDay());
      if (dayAnd ? domMatch && dowMatch : domMatch || dowMatch) {
        out.push(day);
        previous = t;
      }
    }
    t += DAY_MS;
  }
  return out;
}

/**
 * The activations after `from` (exclusive), at most `count`, all before `until` when given.
 * Times are UTC, the operator's clock.
 */
export function cronFireTimes(parsed: ParsedCron, from: Date, count: number, until?: Date): Date[] {
  const out: Date[] = [];
  if (parsed.kind === 'every') {
    // robfig's ConstantDelaySchedule: from the start, every delay.
    let t = Math.floor(from.getTime() / 1000) * 1000;
    for (let i = 0; i < count; i++) {
      t += parsed.delaySeconds * 1000;
      if (until && t > until.getTime()) break;
      out.push(new Date(t));
    }
    return out;
  }
  const { fields, dayAnd } = effectiveFields(parsed);
  if (fields.some((f) => f.length === 0)) return out; // a field that matches nothing never fires
  // Every field is written out as the list robfig computed (croner reads a full list as it reads
  // "*"), so croner's own wildcard rule for the day fields never decides AND/OR: robfig's does,
  // through domAndDow.
  const pattern = fields.map((values) => values.join(',')).join(' ');
  const cron = new (croner())(pattern, { paused: true, utcOffset: 0, mode: '6-part', domAndDow: dayAnd });
  let t: Date | null = from;
  while (out.length < count) {
    const next: Date | null = cron.nextRun(t);
    if (!next) break;
    if (next.getTime() >= searchEnd(t.getTime())) break;
    if (until && next > until) break;
    out.push(next);
    t = next;
  }
  return out;
}
