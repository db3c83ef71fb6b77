import { IConstruct } from 'constructs';
import { invalidInput } from '../common/errors';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/** RFC 3339 with an explicit offset: `2026-03-01T10:15:00Z`, `2026-03-01 12:15:00.5+02:00`. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const LSN = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;
const BACKUP_ID = /^\d{8}T\d{6}$/;
/** PostgreSQL's MAXFNAMELEN: restore point names are shorter than 64 bytes. */
const MAX_RESTORE_POINT_BYTES = 63;
/** The first transaction ID PostgreSQL assigns (0-2 are invalid, bootstrap and frozen). */
const FIRST_NORMAL_XID = 3;
const MAX_XID = 2 ** 32 - 1;

/** How a recovery treats its target and which base backup it starts from. */
export interface RecoveryTargetOptions {
  /**
   * Stop just before the target instead of just after it (`recovery_target_inclusive = off`).
   * Only for time, LSN and transaction-ID targets.
   *
   * @default false - inclusive, PostgreSQL's default
   */
  readonly exclusive?: boolean;

  /**
   * The barman ID of the base backup to start from, e.g. `20260301T020000`.
   *
   * @default - for a time or LSN target, the newest backup completed before it (CloudNativePG
   * picks it); a restore point, a transaction ID and `immediate` need one (CloudNativePG cannot
   * pick it), except from volume snapshots
   */
  readonly backupId?: string;

  /**
   * The timeline to follow: `latest` or a timeline number (`recovery_target_timeline`).
   *
   * @default - `latest`, PostgreSQL's default
   */
  readonly timeline?: string;
}

/**
 * Where a recovery stops: the end of the archive, a point in time, an LSN, a named restore point,
 * a transaction ID, or the first consistent point. Checked when it is created (the rules of
 * CloudNativePG's webhook and of PostgreSQL), so a target that would be refused, or never
 * reached, fails at synth with the fix.
 */
export class RecoveryTarget {
  /**
   * Replay every archived WAL file (no target): the newest state the archive holds.
   */
  public static latest(options: RecoveryTargetOptions = {}): RecoveryTarget {
    checkArgs('RecoveryTarget.latest', [options]);
    return new RecoveryTarget('latest', undefined, options);
  }

  /**
   * Stop at a point in time (`targetTime`).
   *
   * Written in UTC with a numeric offset, `2026-03-01 10:15:00+00:00` (RFC 3339's space-separated
   * form, which is also PostgreSQL's): CloudNativePG 1.27.x and 1.28.0 copy a `...Z` timestamp
   * into `recovery_target_time` with its `Z`, which PostgreSQL refuses at startup ("invalid value
   * for parameter", cloudnative-pg#10819); the numeric offset works with every release.
   *
   * @param timestamp RFC 3339 with an explicit offset, e.g. `2026-03-01T10:15:00Z` or
   * `2026-03-01T12:15:00+02:00`
   */
  public static time(timestamp: string, options: RecoveryTargetOptions = {}): RecoveryTarget {
    checkArgs('RecoveryTarget.time', [timestamp, options]);
    return new RecoveryTarget('time', timestamp, options);
  }

  /**
   * Stop at a point in time given as a date (written in UTC, to the millisecond, as `time()` writes it).
   */
  public static at(date: Date, options: RecoveryTargetOptions = {}): RecoveryTarget {
    checkArgs('RecoveryTarget.at', [date, options]);
    return new RecoveryTarget('time', date.toISOString(), options);
  }

  /**
   * Stop at a write-ahead-log location (`targetLSN`), e.g. `0/3000060` (what
   * `pg_current_wal_lsn()` returns).
   */
  public static lsn(lsn: string, options: RecoveryTargetOptions = {}): RecoveryTarget {
    checkArgs('RecoveryTarget.lsn', [lsn, options]);
    return new RecoveryTarget('lsn', lsn, options);
  }

  /**
   * Stop at a named restore point created with `pg_create_restore_point('<name>')` (`targetName`).
   * Needs `backupId`: CloudNativePG cannot pick the base backup from a name.
   */
  public static restorePoint(name: string, options: RecoveryTargetOptions = {}): RecoveryTarget {
    checkArgs('RecoveryTarget.restorePoint', [name, options]);
    return new RecoveryTarget('restorePoint', name, options);
  }

  /**
   * Stop at a transaction (`targetXID`): transactions that committed before it (and, unless
   * exclusive, it) are recovered. Needs `backupId`.
   */
  public static transactionId(xid: number, options: RecoveryTargetOptions = {}): RecoveryTarget {
    checkArgs('RecoveryTarget.transactionId', [xid, options]);
    return new RecoveryTarget('transactionId', xid, options);
  }

  /**
   * Stop as soon as the base backup is consistent (`targetImmediate`): the state at the end of
   * the base backup. Needs `backupId`, except from volume snapshots.
   */
  public static immediate(options: RecoveryTargetOptions = {}): RecoveryTarget {
    checkArgs('RecoveryTarget.immediate', [options]);
    return new RecoveryTarget('immediate', undefined, options);
  }

  /** `latest`, `time`, `lsn`, `restorePoint`, `transactionId` or `immediate`. */
  public readonly kind: string;
  /** The target as given (a timestamp, an LSN, a name, a transaction ID), if it has one. */
  public readonly value?: string;
  /** Whether the target is excluded. */
  public readonly exclusive: boolean;
  /** The base backup to start from, if chosen. */
  public readonly backupId?: string;
  /** The timeline, if chosen. */
  public readonly timeline?: string;

  private constructor(kind: string, value: string | number | undefined, options: RecoveryTargetOptions) {
    this.kind = kind;
    this.value = value === undefined ? undefined : String(value);
    this.exclusive = options.exclusive ?? false;
    this.backupId = options.backupId;
    this.timeline = options.timeline;
  }

  /** True for a point-in-time target (anything but `latest`): it needs WAL beyond the base backup. */
  public get isPointInTime(): boolean {
    return this.kind !== 'latest';
  }

  /** The target, e.g. `time 2026-03-01T10:15:00Z`. */
  public toString(): string {
    return this.value === undefined ? this.kind : `${this.kind} ${this.value}`;
  }

  /**
   * Checks the target; `fromSnapshots` when the recovery starts from volume snapshots (no backup
   * catalogue: no `backupId`, none needed).
   * @internal
   */
  public _validate(scope: IConstruct, field: string, fromSnapshots: boolean): void {
    // Set for every kind the switch reads it for (the factories' argument, as a string).
    const v = this.value!;
    switch (this.kind) {
      case 'time':
        this.utcTime(scope, field);
        break;
      case 'lsn':
        if (!LSN.test(v)) {
          throw invalidInput(scope, `${field}.lsn`, v, 'is not a PostgreSQL LSN (two hexadecimal numbers of at most 8 digits, separated by "/")',
            'give what pg_current_wal_lsn() or pg_lsn shows, e.g. "0/3000060"');
        }
        break;
      case 'restorePoint':
        if (v === '') {
          throw invalidInput(scope, `${field}.restorePoint`, v, 'is empty', 'give the name passed to pg_create_restore_point()');
        }
        if (Buffer.byteLength(v, 'utf-8') > MAX_RESTORE_POINT_BYTES) {
          throw invalidInput(scope, `${field}.restorePoint`, v, `is ${Buffer.byteLength(v, 'utf-8')} bytes long; PostgreSQL restore point names are shorter than 64 bytes`,
            'give the name exactly as pg_create_restore_point() stored it (at most 63 bytes)');
        }
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u001f\u007f]/.test(v)) {
          throw invalidInput(scope, `${field}.restorePoint`, v, 'contains a control character', 'give the restore point\'s name without newlines or other control characters');
        }
        break;
      case 'transactionId': {
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < FIRST_NORMAL_XID || n > MAX_XID) {
          throw invalidInput(scope, `${field}.transactionId`, this.value, `is not a transaction ID PostgreSQL assigns (a whole number from ${FIRST_NORMAL_XID} to 2^32-1 = ${MAX_XID})`,
            'give the xid as txid_current() or pg_current_xact_id() showed it, modulo 2^32 (the 32-bit part)');
        }
        break;
      }
      default:
        break;
    }
    if (this.exclusive && ['latest', 'immediate', 'restorePoint'].includes(this.kind)) {
      throw invalidInput(scope, `${field}.exclusive`, true, `has no meaning for a ${this.kind === 'restorePoint' ? 'restore point' : this.kind} target (PostgreSQL reads recovery_target_inclusive only for a time, an LSN or a transaction ID)`,
        'drop exclusive, or use a time, LSN or transaction-ID target');
    }
    if (this.backupId !== undefined) {
      if (fromSnapshots) {
        throw invalidInput(scope, `${field}.backupId`, this.backupId, 'cannot be used with a recovery from volume snapshots (CloudNativePG webhook: "Cannot specify a backupID when recovering using a DataSource")',
          'drop backupId: the snapshots are the base backup');
      }
      if (!BACKUP_ID.test(this.backupId)) {
        throw invalidInput(scope, `${field}.backupId`, this.backupId, 'is not a barman backup ID (YYYYMMDDTHHMMSS)',
          'give the ID barman-cloud-backup-list (or `kubectl cnpg status`) shows, e.g. "20260301T020000"');
      }
    } else if (!fromSnapshots && ['restorePoint', 'transactionId', 'immediate'].includes(this.kind)) {
      throw invalidInput(scope, `${field}.backupId`, undefined,
        `is required for a ${this.kind === 'restorePoint' ? 'restore point' : this.kind === 'transactionId' ? 'transaction-ID' : 'immediate'} target: CloudNativePG picks the base backup only for a time or an LSN (its webhook refuses the Cluster: "BackupID is missing")`,
        'give backupId: the ID of the newest base backup taken before the target, e.g. RecoveryTarget.restorePoint("before-migration", { backupId: "20260301T020000" })');
    }
    if (this.timeline !== undefined && this.timeline !== 'latest' && !/^[1-9]\d{0,9}$/.test(this.timeline)) {
      throw invalidInput(scope, `${field}.timeline`, this.timeline, 'is not "latest" or a positive timeline number (CloudNativePG\'s webhook refuses anything else)',
        'give "latest" (the default) or the timeline number, e.g. "2"');
    }
  }

  /**
   * The `recoveryTarget` stanza (undefined when there is nothing to write).
   * @internal
   */
  public _render(scope: IConstruct, field: string): cnpg.ClusterSpecBootstrapRecoveryRecoveryTarget | undefined {
    const out: cnpg.ClusterSpecBootstrapRecoveryRecoveryTarget = {
      backupId: this.backupId,
      targetTli: this.timeline,
      exclusive: this.exclusive ? true : undefined,
      targetTime: this.kind === 'time' ? this.utcTime(scope, field) : undefined,
      targetLsn: this.kind === 'lsn' ? this.value!.toUpperCase() : undefined,
      targetName: this.kind === 'restorePoint' ? this.value : undefined,
      targetXid: this.kind === 'transactionId' ? this.value : undefined,
      targetImmediate: this.kind === 'immediate' ? true : undefined,
    };
    return Object.values(out).some((x) => x !== undefined) ? out : undefined;
  }

  /**
   * The time in UTC as `YYYY-MM-DD HH:MM:SS[.ffffff]+00:00`, fractions kept up to microseconds:
   * the form PostgreSQL's recovery_target_time accepts and every CloudNativePG release passes
   * through unchanged (test/integ/restore-webhook.test.ts, test/integ/restore.test.ts).
   */
  private utcTime(scope: IConstruct, field: string): string {
    const v = this.value!;
    const m = RFC3339.exec(v);
    if (!m) {
      const zoneless = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v);
      throw invalidInput(scope, `${field}.time`, v,
        zoneless ? 'has no time zone (CloudNativePG would read it as UTC, PostgreSQL in its own zone)' : 'is not an RFC 3339 timestamp',
        zoneless ? `write the offset, e.g. "${v.replace(' ', 'T')}Z" for UTC` : 'give e.g. "2026-03-01T10:15:00Z" (UTC) or "2026-03-01T12:15:00+02:00", or RecoveryTarget.at(date)');
    }
    const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
    if (frac !== undefined && /[1-9]/.test(frac.slice(6))) {
      throw invalidInput(scope, `${field}.time`, v, 'has more precision than PostgreSQL\'s microseconds', `round it to microseconds, e.g. "${v.replace(/\.(\d{6})\d+/, '.$1')}"`);
    }
    const offsetMinutes = z ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
    const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const check = new Date(local);
    // With `Z` the offset's parts are undefined: NaN is greater than nothing.
    if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)
      || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || Number(oh) > 23 || Number(om) > 59) {
      throw invalidInput(scope, `${field}.time`, v, 'is not a real date and time', 'give an existing date and time, e.g. "2026-03-01T10:15:00Z"');
    }
    const utc = new Date(local - offsetMinutes * 60_000);
    const micro = frac === undefined ? '' : `.${frac.slice(0, 6).replace(/0+$/, '')}`;
    return `${utc.toISOString().slice(0, 10)} ${utc.toISOString().slice(11, 19)}${micro === '.' ? '' : micro}+00:00`;
  }
}
