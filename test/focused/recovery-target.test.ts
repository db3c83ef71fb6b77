/**
 * RecoveryTarget (src/cluster/recovery-target.ts) checked and rendered directly, nothing
 * synthesized (issue #17: per-test coverage runs only the tests a mutant reaches): each factory,
 * each rule of PostgreSQL and of CloudNativePG's webhook at its limit and one past, the stanza as
 * written, every refusal with its whole message.
 */
import { RecoveryTarget, RecoveryTargetOptions } from '../../src';
import { thrown } from '../util/errors';
import { BOX_PATH, boxScope } from '../util/synth';

const BID = '20260301T020000';
/** The refusal of `_validate` (field `t`), or `(nothing thrown)`. */
const check = (t: RecoveryTarget, fromSnapshots = false) => thrown(() => t._validate(boxScope(), 't', fromSnapshots));
const render = (t: RecoveryTarget) => t._render(boxScope(), 't');
const time = (ts: string, o: RecoveryTargetOptions = {}) => RecoveryTarget.time(ts, o);
const timeError = (v: string, problem: string, fix: string) => `${BOX_PATH}: t.time = ${JSON.stringify(v)} ${problem}. Fix: ${fix}`;
const NOT_RFC3339 = 'give e.g. "2026-03-01T10:15:00Z" (UTC) or "2026-03-01T12:15:00+02:00", or RecoveryTarget.at(date)';
const NOT_REAL = (v: string) => timeError(v, 'is not a real date and time', 'give an existing date and time, e.g. "2026-03-01T10:15:00Z"');

describe('the factories', () => {
  test('kind, value, options and their defaults (inclusive, no backup ID, no timeline)', () => {
    const latest = RecoveryTarget.latest();
    expect([latest.kind, latest.value, latest.exclusive, latest.backupId, latest.timeline]).toEqual(['latest', undefined, false, undefined, undefined]);
    expect(latest.isPointInTime).toBe(false);
    expect(latest.toString()).toBe('latest');
    const t = time('2026-03-01T10:15:00Z', { exclusive: true, backupId: BID, timeline: '2' });
    expect([t.kind, t.value, t.exclusive, t.backupId, t.timeline]).toEqual(['time', '2026-03-01T10:15:00Z', true, BID, '2']);
    expect(t.isPointInTime).toBe(true);
    expect(t.toString()).toBe('time 2026-03-01T10:15:00Z');
    expect(RecoveryTarget.lsn('0/3000060').toString()).toBe('lsn 0/3000060');
    expect(RecoveryTarget.restorePoint('nightly').toString()).toBe('restorePoint nightly');
    const xid = RecoveryTarget.transactionId(1234);
    expect([xid.kind, xid.value]).toEqual(['transactionId', '1234']);
    const immediate = RecoveryTarget.immediate({ backupId: BID });
    expect([immediate.kind, immediate.value, immediate.isPointInTime, immediate.toString()]).toEqual(['immediate', undefined, true, 'immediate']);
    expect(RecoveryTarget.latest({ exclusive: false }).exclusive).toBe(false);
  });

  test('at(date): the date in UTC to the millisecond, as a time target', () => {
    const t = RecoveryTarget.at(new Date(Date.UTC(2026, 2, 1, 10, 15, 0, 500)), { backupId: BID });
    expect([t.kind, t.value, t.backupId]).toEqual(['time', '2026-03-01T10:15:00.500Z', BID]);
    expect(render(t)).toEqual({ backupId: BID, targetTime: '2026-03-01 10:15:00.5+00:00' });
    expect(render(RecoveryTarget.at(new Date('2026-03-01T12:15:00+02:00')))).toEqual({ targetTime: '2026-03-01 10:15:00+00:00' });
  });

  test('the argument checks name the factory', () => {
    expect(thrown(() => RecoveryTarget.latest({ exclusive: 'yes' } as any))).toMatch(/^RecoveryTarget\.latest: exclusive = "yes" is a string, where a boolean goes /);
    expect(thrown(() => RecoveryTarget.immediate({ backupId: 20260301 } as any))).toMatch(/^RecoveryTarget\.immediate: backupId = 20260301 is a number, where a string goes\. /);
    expect(thrown(() => RecoveryTarget.at(new Date('x'))))
      .toBe('RecoveryTarget.at: date = "Invalid Date" is an invalid Date. Fix: give a valid date, e.g. new Date("2026-06-01T00:00:00Z")');
    expect(thrown(() => RecoveryTarget.at('2026-03-01' as any))).toMatch(/^RecoveryTarget\.at: date = "2026-03-01" /);
  });
});

describe('time targets', () => {
  test('UTC with Z, z, +00:00, T, t or a space: written as "YYYY-MM-DD HH:MM:SS+00:00"', () => {
    for (const v of ['2026-03-01T10:15:00Z', '2026-03-01t10:15:00z', '2026-03-01 10:15:00+00:00', '2026-03-01T10:15:00-00:00']) {
      expect(check(time(v))).toBe('(nothing thrown)');
      expect(render(time(v))).toEqual({ targetTime: '2026-03-01 10:15:00+00:00' });
    }
  });

  test('an offset is converted to UTC, across a day, a month and a year', () => {
    expect(render(time('2026-03-01T12:15:00+02:00'))!.targetTime).toBe('2026-03-01 10:15:00+00:00');
    expect(render(time('2026-03-01T01:10:00+05:30'))!.targetTime).toBe('2026-02-28 19:40:00+00:00');
    expect(render(time('2026-12-31T20:00:00-05:30'))!.targetTime).toBe('2027-01-01 01:30:00+00:00');
    expect(render(time('2026-03-01T10:15:00+00:01'))!.targetTime).toBe('2026-03-01 10:14:00+00:00');
    expect(render(time('2026-03-01T10:15:00+23:59'))!.targetTime).toBe('2026-02-28 10:16:00+00:00');
  });

  test('fractions: kept to the microsecond, trailing zeros dropped, zeros past the microsecond accepted', () => {
    expect(render(time('2026-03-01T10:15:00.5Z'))!.targetTime).toBe('2026-03-01 10:15:00.5+00:00');
    expect(render(time('2026-03-01T10:15:00.123456Z'))!.targetTime).toBe('2026-03-01 10:15:00.123456+00:00');
    expect(render(time('2026-03-01T10:15:00.120Z'))!.targetTime).toBe('2026-03-01 10:15:00.12+00:00');
    expect(render(time('2026-03-01T10:15:00.102Z'))!.targetTime).toBe('2026-03-01 10:15:00.102+00:00');
    expect(render(time('2026-03-01T10:15:00.0005Z'))!.targetTime).toBe('2026-03-01 10:15:00.0005+00:00');
    expect(render(time('2026-03-01T10:15:00.000Z'))!.targetTime).toBe('2026-03-01 10:15:00+00:00');
    expect(render(time('2026-03-01T10:15:00.123456000Z'))!.targetTime).toBe('2026-03-01 10:15:00.123456+00:00');
    expect(render(time('2026-03-01T10:15:00.1234560+01:00'))!.targetTime).toBe('2026-03-01 09:15:00.123456+00:00');
  });

  test('more precision than microseconds: refused with the rounded value', () => {
    expect(check(time('2026-03-01T10:15:00.1234567Z'))).toBe(timeError('2026-03-01T10:15:00.1234567Z',
      'has more precision than PostgreSQL\'s microseconds', 'round it to microseconds, e.g. "2026-03-01T10:15:00.123456Z"'));
    expect(check(time('2026-03-01T10:15:00.000000001+02:00'))).toBe(timeError('2026-03-01T10:15:00.000000001+02:00',
      'has more precision than PostgreSQL\'s microseconds', 'round it to microseconds, e.g. "2026-03-01T10:15:00.000000+02:00"'));
    // Ten digits are no RFC 3339 fraction the pattern reads.
    expect(check(time('2026-03-01T10:15:00.1234567890Z'))).toBe(timeError('2026-03-01T10:15:00.1234567890Z', 'is not an RFC 3339 timestamp', NOT_RFC3339));
  });

  test('without a zone: refused, the fix writes the UTC form', () => {
    expect(check(time('2026-03-01 10:15:00'))).toBe(timeError('2026-03-01 10:15:00',
      'has no time zone (CloudNativePG would read it as UTC, PostgreSQL in its own zone)', 'write the offset, e.g. "2026-03-01T10:15:00Z" for UTC'));
    expect(check(time('2026-03-01T10:15:00.25'))).toBe(timeError('2026-03-01T10:15:00.25',
      'has no time zone (CloudNativePG would read it as UTC, PostgreSQL in its own zone)', 'write the offset, e.g. "2026-03-01T10:15:00.25Z" for UTC'));
    expect(check(time('2026-03-01t10:15:00'))).toMatch(/ has no time zone /);
  });

  test('what is no RFC 3339 timestamp', () => {
    for (const v of ['yesterday at noon', '', '2026-03-01', '2026-03-01T10:15Z', '2026-3-01T10:15:00Z', '2026-03-01T10:15:00+0200', '2026-03-01T10:15:00+02',
      'x2026-03-01T10:15:00Z', '2026-03-01T10:15:00Zx', '2026-03-01T10:15:00.Z', '2026-03-01X10:15:00Z', '2026-03-01T10:15:00 Z', ' 2026-03-01 10:15:00',
      '2026-03-01 10:15:00 ', 'x2026-03-01 10:15:00', '2026-03-01T10:15:00.Z1']) {
      expect([v, check(time(v))]).toEqual([v, timeError(v, 'is not an RFC 3339 timestamp', NOT_RFC3339)]);
    }
  });

  test('dates and times that do not exist: each field at its limit and one past', () => {
    for (const v of ['2026-12-31T23:59:59Z', '2028-02-29T00:00:00Z', '2026-01-01T00:00:00+23:59', '2026-01-01T00:00:00-23:59']) {
      expect([v, check(time(v))]).toEqual([v, '(nothing thrown)']);
    }
    for (const v of ['2026-02-29T00:00:00Z', '2026-02-30T10:00:00Z', '2026-04-31T10:00:00Z', '2026-13-01T10:00:00Z', '2026-00-10T10:00:00Z', '2026-03-00T10:00:00Z',
      '2026-03-01T24:00:00Z', '2026-03-01T10:60:00Z', '2026-03-01T10:15:60Z', '2026-03-01T10:15:00+24:00', '2026-03-01T10:15:00-00:60', '0050-03-01T10:15:00Z']) {
      expect([v, check(time(v))]).toEqual([v, NOT_REAL(v)]);
    }
  });

  test('the render checks the time too (a target not validated first)', () => {
    expect(thrown(() => render(time('2026-02-30T10:00:00Z')))).toBe(NOT_REAL('2026-02-30T10:00:00Z'));
  });
});

describe('LSN targets', () => {
  const error = (v: string) => `${BOX_PATH}: t.lsn = ${JSON.stringify(v)} is not a PostgreSQL LSN (two hexadecimal numbers of at most 8 digits, separated by "/"). `
    + 'Fix: give what pg_current_wal_lsn() or pg_lsn shows, e.g. "0/3000060"';
  test('1 to 8 hexadecimal digits on each side, written in capitals', () => {
    for (const v of ['0/3000060', 'FFFFFFFF/FFFFFFFF', 'a/b', '12345678/9abcdef0']) expect([v, check(RecoveryTarget.lsn(v))]).toEqual([v, '(nothing thrown)']);
    expect(render(RecoveryTarget.lsn('1a/b00c'))).toEqual({ targetLsn: '1A/B00C' });
    expect(render(RecoveryTarget.lsn('0/3000060', { exclusive: true }))).toEqual({ targetLsn: '0/3000060', exclusive: true });
  });
  test('9 digits, no digits, other characters: refused', () => {
    for (const v of ['123456789/0', '0/123456789', '0/', '/0', '0', '0/ZZ', 'G/0', 'x0/0', '0/0x', '0//0', '']) {
      expect([v, check(RecoveryTarget.lsn(v))]).toEqual([v, error(v)]);
    }
  });
});

describe('restore-point targets', () => {
  const RP_HINT = ' (the field is t.restore_point in Python, T.RestorePoint in Go)';
  const rp = (name: string) => RecoveryTarget.restorePoint(name, { backupId: BID });
  test('a name of 1 to 63 bytes, written as targetName with its backup', () => {
    for (const v of ['a', 'x'.repeat(63), `${'é'.repeat(31)}x`, 'before migration', 'nightly\u0080']) expect([v, check(rp(v))]).toEqual([v, '(nothing thrown)']);
    expect(render(rp('before-migration'))).toEqual({ targetName: 'before-migration', backupId: BID });
  });
  test('empty, 64 bytes (in characters or in UTF-8), a control character: refused', () => {
    expect(check(rp(''))).toBe(`${BOX_PATH}: t.restorePoint = "" is empty. Fix: give the name passed to pg_create_restore_point()${RP_HINT}`);
    const long = (v: string) => `${BOX_PATH}: t.restorePoint = ${JSON.stringify(v)} is 64 bytes long; PostgreSQL restore point names are shorter than 64 bytes. `
      + `Fix: give the name exactly as pg_create_restore_point() stored it (at most 63 bytes)${RP_HINT}`;
    expect(check(rp('x'.repeat(64)))).toBe(long('x'.repeat(64)));
    expect(check(rp('é'.repeat(32)))).toBe(long('é'.repeat(32)));
    for (const v of ['a\u0000', 'line\nbreak', '\u001f', 'del\u007f']) {
      expect([v, check(rp(v))]).toEqual([v, `${BOX_PATH}: t.restorePoint = ${JSON.stringify(v)} contains a control character. `
        + `Fix: give the restore point's name without newlines or other control characters${RP_HINT}`]);
    }
  });
});

describe('transaction-ID targets', () => {
  const xid = (n: number) => RecoveryTarget.transactionId(n, { backupId: BID });
  const error = (v: string) => `${BOX_PATH}: t.transactionId = ${JSON.stringify(v)} is not a transaction ID PostgreSQL assigns (a whole number from 3 to 2^32-1 = 4294967295). `
    + 'Fix: give the xid as txid_current() or pg_current_xact_id() showed it, modulo 2^32 (the 32-bit part) (the field is t.transaction_id in Python, T.TransactionId in Go)';
  test('3 to 2^32 − 1, written as a string', () => {
    for (const n of [3, 4, 4294967295]) expect([n, check(xid(n))]).toEqual([n, '(nothing thrown)']);
    expect(render(xid(1234))).toEqual({ targetXid: '1234', backupId: BID });
  });
  test('0 to 2, 2^32, a fraction, a negative number, a number in exponent form: refused', () => {
    for (const n of [0, 1, 2, 4294967296, 1.5, 3.5, 100.25, -3, 1e21]) expect([n, check(xid(n))]).toEqual([n, error(String(n))]);
  });
});

describe('exclusive, backupId, timeline', () => {
  test('exclusive has a meaning for a time, an LSN and a transaction ID only', () => {
    expect(check(time('2026-03-01T10:15:00Z', { exclusive: true }))).toBe('(nothing thrown)');
    expect(check(RecoveryTarget.transactionId(5, { exclusive: true, backupId: BID }))).toBe('(nothing thrown)');
    const error = (kind: string) => `${BOX_PATH}: t.exclusive = true has no meaning for a ${kind} target `
      + '(PostgreSQL reads recovery_target_inclusive only for a time, an LSN or a transaction ID). Fix: drop exclusive, or use a time, LSN or transaction-ID target';
    expect(check(RecoveryTarget.latest({ exclusive: true }))).toBe(error('latest'));
    expect(check(RecoveryTarget.immediate({ exclusive: true, backupId: BID }))).toBe(error('immediate'));
    expect(check(RecoveryTarget.restorePoint('a', { exclusive: true, backupId: BID }))).toBe(error('restore point'));
  });

  test('backupId: YYYYMMDDTHHMMSS, refused with volume snapshots', () => {
    expect(check(time('2026-03-01T10:15:00Z', { backupId: BID }))).toBe('(nothing thrown)');
    const error = (v: string) => `${BOX_PATH}: t.backupId = ${JSON.stringify(v)} is not a barman backup ID (YYYYMMDDTHHMMSS). `
      + 'Fix: give the ID barman-cloud-backup-list (or `kubectl cnpg status`) shows, e.g. "20260301T020000" (the field is t.backup_id in Python, T.BackupId in Go)';
    for (const v of ['2026-03-01', '20260301T02000', '2026030T1020000', 'x20260301T020000', '20260301T020000x', '20260301t020000', '']) {
      expect([v, check(time('2026-03-01T10:15:00Z', { backupId: v }))]).toEqual([v, error(v)]);
    }
    expect(check(RecoveryTarget.latest({ backupId: BID }), true)).toBe(`${BOX_PATH}: t.backupId = "${BID}" cannot be used with a recovery from volume snapshots `
      + '(CloudNativePG webhook: "Cannot specify a backupID when recovering using a DataSource"). Fix: drop backupId: the snapshots are the base backup '
      + '(the field is t.backup_id in Python, T.BackupId in Go)');
    // The snapshot check comes first: a malformed ID is refused for the snapshots.
    expect(check(RecoveryTarget.latest({ backupId: 'x' }), true)).toMatch(/^Construct at 'test\/box': t\.backupId = "x" cannot be used with a recovery from volume snapshots/);
  });

  test('backupId is required for a restore point, a transaction ID and immediate, except from snapshots', () => {
    const error = (kind: string) => `${BOX_PATH}: t.backupId = (unset) is required for a ${kind} target: CloudNativePG picks the base backup only for a time or an LSN `
      + '(its webhook refuses the Cluster: "BackupID is missing"). Fix: give backupId: the ID of the newest base backup taken before the target, '
      + 'e.g. RecoveryTarget.restorePoint("before-migration", { backupId: "20260301T020000" }) (the field is t.backup_id in Python, T.BackupId in Go)';
    expect(check(RecoveryTarget.restorePoint('a'))).toBe(error('restore point'));
    expect(check(RecoveryTarget.transactionId(5))).toBe(error('transaction-ID'));
    expect(check(RecoveryTarget.immediate())).toBe(error('immediate'));
    for (const t of [RecoveryTarget.restorePoint('a'), RecoveryTarget.transactionId(5), RecoveryTarget.immediate()]) expect(check(t, true)).toBe('(nothing thrown)');
    for (const t of [RecoveryTarget.latest(), time('2026-03-01T10:15:00Z'), RecoveryTarget.lsn('0/1')]) expect(check(t)).toBe('(nothing thrown)');
  });

  test('timeline: latest or 1 to 10 digits without a leading zero', () => {
    for (const v of ['latest', '1', '2', '9999999999']) expect([v, check(RecoveryTarget.latest({ timeline: v }))]).toEqual([v, '(nothing thrown)']);
    const error = (v: string) => `${BOX_PATH}: t.timeline = ${JSON.stringify(v)} is not "latest" or a positive timeline number (CloudNativePG's webhook refuses anything else). `
      + 'Fix: give "latest" (the default) or the timeline number, e.g. "2"';
    for (const v of ['current', '0', '01', '10000000000', ' 2', '2 ', 'x2', 'Latest', '']) {
      expect([v, check(RecoveryTarget.latest({ timeline: v }))]).toEqual([v, error(v)]);
    }
  });
});

describe('the recoveryTarget stanza', () => {
  test('latest without options writes nothing; with a backup or a timeline only those', () => {
    expect(render(RecoveryTarget.latest())).toBeUndefined();
    expect(render(RecoveryTarget.latest({ exclusive: false }))).toBeUndefined();
    expect(render(RecoveryTarget.latest({ backupId: BID, timeline: 'latest' }))).toEqual({ backupId: BID, targetTli: 'latest' });
  });
  test('immediate: targetImmediate; exclusive only when true', () => {
    expect(render(RecoveryTarget.immediate({ backupId: BID }))).toEqual({ targetImmediate: true, backupId: BID });
    expect(render(time('2026-03-01T10:15:00Z', { exclusive: false }))).toEqual({ targetTime: '2026-03-01 10:15:00+00:00' });
    expect(render(time('2026-03-01T10:15:00Z', { exclusive: true, timeline: '3' }))).toEqual({ targetTime: '2026-03-01 10:15:00+00:00', exclusive: true, targetTli: '3' });
  });
  test('each kind writes its own field only', () => {
    const keys = (t: RecoveryTarget) => Object.entries(render(t) ?? {}).filter(([, v]) => v !== undefined).map(([k]) => k).sort();
    expect(keys(time('2026-03-01T10:15:00Z'))).toEqual(['targetTime']);
    expect(keys(RecoveryTarget.lsn('0/1'))).toEqual(['targetLsn']);
    expect(keys(RecoveryTarget.restorePoint('a'))).toEqual(['targetName']);
    expect(keys(RecoveryTarget.transactionId(5))).toEqual(['targetXid']);
    expect(keys(RecoveryTarget.immediate())).toEqual(['targetImmediate']);
  });
});
