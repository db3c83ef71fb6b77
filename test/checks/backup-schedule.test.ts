import { operatorFireTimes, scheduledBackupScheduleProblems } from '../../src/checks/backup-schedule';

const iso = (dates: Date[] | undefined) => dates?.map((d) => d.toISOString());
const scheduled = (schedule: unknown) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', spec: { schedule } });

describe('operatorFireTimes (as CloudNativePG\'s robfig/cron parser reads an expression)', () => {
  test('the first four times from 2026-01-01T00:00:00Z, that instant included', () => {
    expect(iso(operatorFireTimes('0 0 0 * * *'))).toEqual([
      '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z',
    ]);
  });

  test('a count of its own', () => {
    expect(iso(operatorFireTimes('0 30 2 * * *', 2))).toEqual(['2026-01-01T02:30:00.000Z', '2026-01-02T02:30:00.000Z']);
    expect(iso(operatorFireTimes('0 30 2 * * *', 0))).toEqual([]);
  });

  test('five fields are read as seconds, minutes, hours, day of month, month', () => {
    expect(iso(operatorFireTimes('0 2 * * *'))).toEqual([
      '2026-01-01T00:02:00.000Z', '2026-01-01T01:02:00.000Z', '2026-01-01T02:02:00.000Z', '2026-01-01T03:02:00.000Z',
    ]);
  });

  test('an expression the parser refuses has no fire times; a date that never comes has none either', () => {
    expect(operatorFireTimes('x y z')).toBeUndefined();
    expect(operatorFireTimes('0 0 2 * * * *')).toBeUndefined();
    expect(operatorFireTimes('0 0 0 30 2 *')).toEqual([]);
  });

  test('an error other than the parser\'s refusal is not taken for one: it propagates', () => {
    expect(() => operatorFireTimes(undefined as any)).toThrow(TypeError);
    expect(() => operatorFireTimes(5 as any)).toThrow(TypeError);
  });
});

describe('scheduledBackupScheduleProblems (a ScheduledBackup as written)', () => {
  test('a five-field schedule: the problem with the times the operator would really run it', () => {
    expect(scheduledBackupScheduleProblems(scheduled('0 2 * * *'))).toEqual([{
      path: 'spec.schedule',
      value: '0 2 * * *',
      problem: 'has 5 fields; CloudNativePG reads six with the seconds first, so a five-field (crontab) expression runs at the wrong time: '
        + 'CloudNativePG would read it as "0 2 * * * *" (second minute hour day-of-month month): 24 backups on each day it fires, the first at 00:02:00 UTC; '
        + 'the operator would run it at 2026-01-01T00:02:00Z, 2026-01-01T01:02:00Z, 2026-01-01T02:02:00Z, 2026-01-01T03:02:00Z and so on',
      fix: 'write six fields with the seconds first, e.g. "0 0 2 * * *": prepend the seconds field, never append one (or use BackupSchedule.dailyAt(hour, minute))',
    }]);
  });

  test('a schedule that never fires says the operator would never run it', () => {
    expect(scheduledBackupScheduleProblems(scheduled('0 0 0 30 2 *'))).toEqual([{
      path: 'spec.schedule',
      value: '0 0 0 30 2 *',
      problem: 'never fires: no date within five years matches its day-of-month, month and day-of-week fields; the operator would never run it',
      fix: 'check the day and month fields, e.g. "0 0 2 * * *"',
    }]);
  });

  test('a schedule the parser refuses: the problem alone, no times', () => {
    expect(scheduledBackupScheduleProblems(scheduled('0 0 2 * * * *'))).toEqual([{
      path: 'spec.schedule',
      value: '0 0 2 * * * *',
      problem: 'is not a schedule CloudNativePG can parse (robfig/cron v1.2.0): it has 7 fields; six are needed (second minute hour day-of-month month day-of-week)',
      fix: 'write six fields with the seconds first, e.g. "0 0 2 * * *" for 02:00:00 UTC every day (or BackupSchedule.dailyAt(2))',
    }]);
  });

  test('more often than hourly: the times are shown to the second', () => {
    const [p] = scheduledBackupScheduleProblems(scheduled('* * * * * *'));
    expect(p.problem).toMatch(/^fires 1 s after a previous backup .*; the operator would run it at 2026-01-01T00:00:00Z, 2026-01-01T00:00:01Z, 2026-01-01T00:00:02Z, 2026-01-01T00:00:03Z and so on$/);
  });

  test('a valid schedule, a Flux variable, a schedule that is not a string, or none: no problem', () => {
    expect(scheduledBackupScheduleProblems(scheduled('0 0 2 * * *'))).toEqual([]);
    expect(scheduledBackupScheduleProblems(scheduled('${CNPG_BACKUP_SCHEDULE}'))).toEqual([]);
    expect(scheduledBackupScheduleProblems(scheduled('0 ${MINUTE} 2 * *'))).toEqual([]);
    expect(scheduledBackupScheduleProblems(scheduled(5))).toEqual([]);
    expect(scheduledBackupScheduleProblems({ spec: {} })).toEqual([]);
    expect(scheduledBackupScheduleProblems({})).toEqual([]);
    expect(scheduledBackupScheduleProblems(undefined)).toEqual([]);
  });
});
