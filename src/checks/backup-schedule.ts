import type { SchemaProblem } from './schema';
import { cronFireTimes, CronSyntaxError, parseRobfigCron } from '../backup/cron';
import { scheduleProblem } from '../backup/schedule';
import { containsFluxVariable } from '../common/flux';

/**
 * A ScheduledBackup's `spec.schedule` as written: BackupSchedule's own verdict (`scheduleProblem`:
 * five fields, never firing, more often than hourly, not parseable by robfig/cron v1.2.0), plus the
 * times the operator would really fire it, from the same parser. Used by ClusterBackup's rule on
 * the object as written and by `ManifestAudit`.
 */

/** The instant the fire times are shown from (fixed, so reports are reproducible). */
const SHOW_FROM = new Date(Date.UTC(2026, 0, 1) - 1000);
const SHOWN = 4;

/**
 * The first fire times of an expression as CloudNativePG's parser reads it (a five-field string
 * as `sec min hour dom month`), or undefined when robfig/cron rejects it.
 *
 * @internal
 */
export function operatorFireTimes(expression: string, count: number = SHOWN): Date[] | undefined {
  try {
    return cronFireTimes(parseRobfigCron(expression), SHOW_FROM, count);
  } catch (e) {
    if (e instanceof CronSyntaxError) return undefined;
    throw e;
  }
}

/**
 * The problem of a ScheduledBackup schedule, with its real fire times, or undefined.
 *
 * @internal
 */
export function scheduledBackupScheduleProblems(scheduledBackup: any): SchemaProblem[] {
  const schedule = scheduledBackup?.spec?.schedule;
  if (typeof schedule !== 'string' || containsFluxVariable(schedule)) return [];
  const p = scheduleProblem(schedule);
  if (!p) return [];
  const times = operatorFireTimes(schedule);
  const fires = times === undefined ? ''
    : times.length === 0 ? '; the operator would never run it'
      : `; the operator would run it at ${times.map((t) => t.toISOString().replace('.000Z', 'Z')).join(', ')} and so on`;
  return [{ path: 'spec.schedule', value: schedule, problem: `${p.problem}${fires}`, fix: p.fix }];
}
