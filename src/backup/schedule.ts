import { IConstruct } from 'constructs';
import { cronFireTimes, cronMatchingDays, CRON_DESCRIPTORS, CronSyntaxError, ParsedCron, parseRobfigCron } from './cron';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { checkArgs } from '../core/prop-check';

/**
 * The fixed instant the schedule's analysis starts from, so that synthesis is reproducible (a
 * schedule's gaps do not depend on the day it is synthesized).
 */
const ANALYSIS_START = new Date(Date.UTC(2026, 0, 1) - 1000);
/** Long enough to see a year's pattern (monthly gaps, February). */
const ANALYSIS_DAYS = 400;
/** Backups more often than this are refused (see `scheduleProblem`). */
const MIN_INTERVAL_SECONDS = 3600;
/** The schedule the issue and the reference cluster-settings ask for: 02:00:00 UTC daily. */
const DEFAULT_EXPRESSION = '0 0 2 * * *';

/** A problem with a schedule expression: what is wrong and how to fix it. @internal */
export interface ScheduleProblem {
  readonly problem: string;
  readonly fix: string;
}

const SIX_FIELD_FIX = 'write six fields with the seconds first, e.g. "0 0 2 * * *" for 02:00:00 UTC every day (or BackupSchedule.dailyAt(2))';

/**
 * What CloudNativePG would make of a ScheduledBackup schedule, as a problem to report, or
 * undefined when the schedule is fine (or a Flux variable, checked when Flux substitutes it).
 *
 * @internal
 */
export function scheduleProblem(expression: string): ScheduleProblem | undefined {
  if (containsFluxVariable(expression)) return undefined;
  return analysed(expression).problem;
}

/**
 * Analyses by expression. An analysis follows croner over 400 days, and one schedule is asked
 * about several times during a synth (the settings check, the ScheduledBackup, the validation job,
 * the alerts): each expression is analysed once per process. Analyses are immutable; the map is
 * emptied if it ever holds more than ANALYSIS_CACHE_SIZE expressions (generated tests).
 */
const ANALYSES = new Map<string, Analysis>();
const ANALYSIS_CACHE_SIZE = 1000;

function analysed(expression: string): Analysis {
  let a = ANALYSES.get(expression);
  if (a === undefined) {
    a = analyse(expression);
    if (ANALYSES.size >= ANALYSIS_CACHE_SIZE) ANALYSES.clear();
    ANALYSES.set(expression, a);
  }
  return a;
}

interface Analysis {
  readonly parsed?: ParsedCron;
  readonly problem?: ScheduleProblem;
  readonly minIntervalSeconds?: number;
  readonly maxIntervalSeconds?: number;
  /** The activation that follows the longest gap (in the analysed span). */
  readonly afterLongestGap?: Date;
}

function analyse(expression: string): Analysis {
  // Kubernetes' and Go's strings.Fields: trimmed, split on runs of white space ('' gives one empty field, not five).
  const fields = expression.trim().split(/\s+/);
  if (!expression.startsWith('@') && fields.length === 5) {
    return { problem: fiveFieldProblem(expression, fields) };
  }
  let parsed: ParsedCron;
  try {
    parsed = parseRobfigCron(expression);
  } catch (e) {
    if (!(e instanceof CronSyntaxError)) throw e;
    return {
      problem: { problem: `is not a schedule CloudNativePG can parse (robfig/cron v1.2.0): it ${e.message}`, fix: SIX_FIELD_FIX },
    };
  }
  const gaps = gapsOf(parsed);
  if (!gaps) {
    return {
      parsed,
      problem: { problem: 'never fires: no date within five years matches its day-of-month, month and day-of-week fields', fix: 'check the day and month fields, e.g. "0 0 2 * * *"' },
    };
  }
  if (gaps.min === undefined) {
    return { parsed, problem: { problem: 'fires on a single day (no other within five years)', fix: 'schedule a recurring backup, e.g. "0 0 2 * * *"' } };
  }
  if (gaps.min < MIN_INTERVAL_SECONDS) {
    return {
      parsed,
      problem: {
        problem: `fires ${gaps.min < 60 ? `${gaps.min} s` : `${Math.round(gaps.min / 60)} min`} after a previous backup${gaps.perDay ? ` (${gaps.perDay} base backups on each day it fires)` : ''}; base backups more often than hourly pile up Backup objects and load the instances`,
        fix: 'take base backups at most hourly (WAL archiving already gives point-in-time recovery between them), e.g. "0 0 2 * * *" for one a day',
      },
    };
  }
  return { parsed, minIntervalSeconds: gaps.min, maxIntervalSeconds: gaps.max, afterLongestGap: gaps.afterLongest };
}

interface Gaps {
  /** Undefined when the schedule fires only once. */
  readonly min?: number;
  readonly max: number;
  readonly afterLongest?: Date;
  readonly perDay?: number;
}

/**
 * The shortest and longest gaps between activations. A spec schedule fires at the same times of
 * day (second x minute x hour) on every day its day fields match, so only the matching days are
 * looked for (cronMatchingDays) over a year and more, and the gaps follow.
 */
function gapsOf(parsed: ParsedCron): Gaps | undefined {
  if (parsed.kind === 'every') {
    return { min: parsed.delaySeconds, max: parsed.delaySeconds, afterLongest: cronFireTimes(parsed, ANALYSIS_START, 1)[0] };
  }
  const times = timesOfDay(parsed);
  if (!times.length) return undefined;
  const days = cronMatchingDays(parsed, ANALYSIS_START, 1000, new Date(ANALYSIS_START.getTime() + ANALYSIS_DAYS * 86400_000));
  // Rare days (yearly, 29 February): follow them until six are known (robfig looks five years ahead).
  if (days.length < 6) days.push(...cronMatchingDays(parsed, days.length ? days[days.length - 1] : ANALYSIS_START, 6 - days.length));
  if (!days.length) return undefined;
  let min: number | undefined;
  let max = 0;
  let afterLongest: Date | undefined;
  const gap = (seconds: number, after: Date) => {
    min = min === undefined ? seconds : Math.min(min, seconds);
    if (seconds > max) {
      max = seconds;
      afterLongest = after;
    }
  };
  for (let i = 1; i < times.length; i++) gap(times[i] - times[i - 1], new Date(days[0].getTime() + times[i] * 1000));
  const span = times[times.length - 1] - times[0];
  for (let i = 1; i < days.length; i++) {
    gap((days[i].getTime() - days[i - 1].getTime()) / 1000 - span, new Date(days[i].getTime() + times[0] * 1000));
  }
  return { min, max, afterLongest, perDay: times.length };
}

/** The seconds of the day at which a spec schedule fires, ascending. */
function timesOfDay(parsed: ParsedCron & { kind: 'spec' }): number[] {
  const [seconds, minutes, hours] = parsed.fields;
  const out: number[] = [];
  for (const h of hours) for (const m of minutes) for (const s of seconds) out.push(h * 3600 + m * 60 + s);
  return out;
}

function fiveFieldProblem(expression: string, fields: string[]): ScheduleProblem {
  const six = `0 ${fields.join(' ')}`;
  let reading: string;
  try {
    // Not '@…' (the caller checked), so robfig reads fields, never a descriptor.
    const times = timesOfDay(parseRobfigCron(expression) as ParsedCron & { kind: 'spec' });
    reading = times.length === 0
      ? `CloudNativePG would read it as "${fields.join(' ')} *" (second minute hour day-of-month month), which never fires`
      : `CloudNativePG would read it as "${fields.join(' ')} *" (second minute hour day-of-month month): ${times.length} backup${times.length === 1 ? '' : 's'} on each day it fires, the first at ${hhmmss(new Date(times[0] * 1000))} UTC`;
  } catch (e) {
    if (!(e instanceof CronSyntaxError)) throw e;
    reading = `CloudNativePG would read it as "${fields.join(' ')} *" (second minute hour day-of-month month) and reject it: it ${e.message}`;
  }
  return {
    problem: `has 5 fields; CloudNativePG reads six with the seconds first, so a five-field (crontab) expression runs at the wrong time: ${reading}`,
    fix: `write six fields with the seconds first, e.g. "${six}": prepend the seconds field, never append one (or use BackupSchedule.dailyAt(hour, minute))`,
  };
}

function hhmmss(d: Date): string {
  return d.toISOString().slice(11, 19);
}

/**
 * When base backups run: a CloudNativePG ScheduledBackup schedule.
 *
 * CloudNativePG does not read Kubernetes' five-field cron: it parses the schedule with
 * robfig/cron v1.2.0, **seconds first, six fields** (`0 0 2 * * *` is 02:00:00 every day, in the
 * operator's clock, UTC). A five-field expression such as `0 2 * * *` is accepted by the operator
 * with a mere warning and read as "second 0 of minute 2 of every hour": 24 backups a day. This
 * class refuses it at synth, showing the six-field equivalent.
 *
 * Expressions are checked with CloudNativePG's own grammar (ranges, steps, lists, month and weekday
 * names, `?`, the descriptors `@yearly @annually @monthly @weekly @daily @midnight @hourly
 * @every <duration>`); `L`, `W`, `#`, `7` for Sunday and seven fields are refused because the
 * operator refuses them. Schedules that never fire, or fire more often than hourly, are refused
 * too. A Flux `${VAR}` is passed through unchecked (Flux resolves it at apply time).
 */
export class BackupSchedule {
  /**
   * 02:00:00 UTC every day (`0 0 2 * * *`).
   *
   * Like every schedule, it is analysed when first asked about, not when the class loads.
   */
  public static readonly DAILY_AT_2 = BackupSchedule.expression(DEFAULT_EXPRESSION);

  /**
   * Every day at `hour:minute:00` UTC (the default is 02:00, `0 0 2 * * *`).
   *
   * @param hour 0-23
   * @param minute 0-59; default 0
   */
  public static dailyAt(hour: number, minute: number = 0): BackupSchedule {
    checkArgs('BackupSchedule.dailyAt', [hour, minute]);
    const ok = (v: number, max: number) => Number.isInteger(v) && v >= 0 && v <= max;
    if (!ok(hour, 23) || !ok(minute, 59)) {
      const source = `dailyAt(${hour}, ${minute})`;
      return new BackupSchedule(source, source, {
        problem: { problem: 'is not a time of day', fix: 'give an hour 0-23 and a minute 0-59, e.g. BackupSchedule.dailyAt(2) for 02:00 UTC' },
      });
    }
    return BackupSchedule.expression(`0 ${minute} ${hour} * * *`);
  }

  /**
   * An expression in CloudNativePG's format: six fields, seconds first
   * (`second minute hour day-of-month month day-of-week`), a descriptor such as `@daily`
   * (written out in six fields, which the operator's webhook accepts without a warning), or
   * `@every <Go duration>` (kept as is; the webhook warns about its field count but runs it).
   * A Flux variable (`${CNPG_BACKUP_SCHEDULE}`) is passed through.
   */
  public static expression(expression: string): BackupSchedule {
    checkArgs('BackupSchedule.expression', [expression]);
    const text = String(expression);
    if (containsFluxVariable(text)) return new BackupSchedule(text, text, {});
    // What is written needs no analysis: the fixed descriptors are written out (CNPG's webhook warns on
    // anything but six fields), the rest as given; analyse() checks it when the schedule is first asked about.
    return new BackupSchedule(text, Object.hasOwn(CRON_DESCRIPTORS, text) ? CRON_DESCRIPTORS[text] : text);
  }

  /** The expression written into the ScheduledBackup's `spec.schedule`. */
  public readonly expressionString: string;
  /** The expression as it was given. */
  public readonly source: string;
  /** Known at construction for Flux variables and invalid times of day; otherwise from the cache, when first needed. */
  private readonly knownAnalysis?: Analysis;

  private constructor(source: string, rendered: string, analysis?: Analysis) {
    this.source = source;
    this.knownAnalysis = analysis;
    this.expressionString = rendered;
  }

  private get analysis(): Analysis {
    return this.knownAnalysis ?? analysed(this.source);
  }

  /** True when the expression holds a Flux variable and is only known at apply time. */
  public get isUnresolved(): boolean {
    return containsFluxVariable(this.source);
  }

  /**
   * The longest time between two backups, in seconds (86400 for a daily schedule); undefined
   * when the schedule is unresolved or invalid.
   */
  public get maxIntervalSeconds(): number | undefined {
    return this.analysis.problem ? undefined : this.analysis.maxIntervalSeconds;
  }

  /**
   * The shortest time between two backups, in seconds; undefined when the schedule is
   * unresolved or invalid.
   */
  public get minIntervalSeconds(): number | undefined {
    return this.analysis.problem ? undefined : this.analysis.minIntervalSeconds;
  }

  /**
   * The next activations after `after` (exclusive), as CloudNativePG computes them (UTC).
   * Throws when the schedule is invalid or unresolved.
   *
   * @param after the instant to start from (named so that Python does not need `from_`)
   * @param count how many activations
   */
  public nextFireTimes(after: Date, count: number): Date[] {
    checkArgs('BackupSchedule.nextFireTimes', [after, count], this);
    const parsed = this.parsedOrThrow();
    return cronFireTimes(parsed, after, count);
  }

  /** The expression. */
  public toString(): string {
    return this.expressionString;
  }

  /**
   * Throws, naming the construct and field, when CloudNativePG would reject the schedule or run
   * it at a time the author did not mean.
   * @internal
   */
  public _validate(scope: IConstruct | string, field: string): void {
    const p = this.analysis.problem;
    if (p) throw invalidInput(scope, field, this.source, p.problem, p.fix);
  }

  /**
   * The activation that follows the longest gap between backups (a date in 2026 or later),
   * from which the validation job's time of day is derived.
   * @internal
   */
  public get _afterLongestGap(): Date | undefined {
    const after = this.analysis.problem ? undefined : this.analysis.afterLongestGap;
    // A copy: the analysis is shared by every schedule of the same expression.
    return after && new Date(after.getTime());
  }

  /** @internal */
  public get _isConstantDelay(): boolean {
    return this.analysis.parsed?.kind === 'every';
  }

  private parsedOrThrow(): ParsedCron {
    this._validate(`BackupSchedule(${JSON.stringify(this.source)})`, 'expression');
    if (!this.analysis.parsed) {
      throw invalidInput(`BackupSchedule(${JSON.stringify(this.source)})`, 'expression', this.source,
        'is a Flux variable, only known at apply time', 'use the value, not the variable, to compute fire times');
    }
    return this.analysis.parsed;
  }
}
