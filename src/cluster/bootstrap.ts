import { Construct } from 'constructs';
import { ClusterHooks } from './cluster-hooks';
import { ICnpgCluster } from './cluster-ref';
import { RecoveryTarget } from './recovery-target';
import { LocaleProvider } from '../application/database-options';
import { BackupSource, BoundSource } from '../backup/backup-source';
import { invalidInput } from '../common/errors';
import { validateName } from '../common/names';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';

/** The server encodings PostgreSQL's initdb accepts (pg_wchar.h, `PG_VALID_BE_ENCODING`). */
const SERVER_ENCODINGS = [
  'SQL_ASCII', 'EUC_JP', 'EUC_CN', 'EUC_KR', 'EUC_TW', 'EUC_JIS_2004', 'UTF8', 'MULE_INTERNAL',
  'LATIN1', 'LATIN2', 'LATIN3', 'LATIN4', 'LATIN5', 'LATIN6', 'LATIN7', 'LATIN8', 'LATIN9', 'LATIN10',
  'WIN1256', 'WIN1258', 'WIN866', 'WIN874', 'KOI8R', 'WIN1251', 'WIN1252', 'ISO_8859_5', 'ISO_8859_6',
  'ISO_8859_7', 'ISO_8859_8', 'WIN1250', 'WIN1253', 'WIN1254', 'WIN1255', 'WIN1257', 'KOI8U',
];

const PROVIDER_SINCE: Record<string, number> = { libc: 0, icu: 15, builtin: 17 };

/** A SQL file in a Secret or ConfigMap (`{ name, key }`). */
export interface SqlFileReference {
  /** The Secret's or ConfigMap's name. */
  readonly name: string;
  /** The key holding the SQL. */
  readonly key: string;
}

/** SQL files run after initdb; the operator runs every Secret first, then every ConfigMap, each in order. */
export interface SqlFileReferences {
  /**
   * SQL in Secrets (for statements that carry credentials).
   *
   * @default - none
   */
  readonly secrets?: SqlFileReference[];
  /**
   * SQL in ConfigMaps.
   *
   * @default - none
   */
  readonly configMaps?: SqlFileReference[];
}

/** How `initdb` creates a new cluster's data directory ({@link ClusterBootstrap.initdb}). */
export interface InitdbOptions {
  /**
   * SQL run as the superuser in the `postgres` database right after initdb (`postInitSQL`).
   *
   * @default - none
   */
  readonly postInitSql?: string[];
  /**
   * SQL files run in the `postgres` database (`postInitSQLRefs`).
   *
   * @default - none
   */
  readonly postInitSqlRefs?: SqlFileReferences;
  /**
   * SQL run as the superuser in the application database (`postInitApplicationSQL`).
   *
   * @default - none
   */
  readonly postInitApplicationSql?: string[];
  /**
   * SQL files run in the application database (`postInitApplicationSQLRefs`).
   *
   * @default - none
   */
  readonly postInitApplicationSqlRefs?: SqlFileReferences;
  /**
   * SQL run as the superuser in `template1`, so every database created later inherits it
   * (`postInitTemplateSQL`), e.g. `CREATE EXTENSION pg_stat_statements`.
   *
   * @default - none
   */
  readonly postInitTemplateSql?: string[];
  /**
   * SQL files run in `template1` (`postInitTemplateSQLRefs`).
   *
   * @default - none
   */
  readonly postInitTemplateSqlRefs?: SqlFileReferences;
  /**
   * The server encoding (`--encoding`).
   *
   * @default - CloudNativePG's `UTF8`
   */
  readonly encoding?: string;
  /**
   * The default locale (`--locale`), e.g. `en_US.UTF-8`.
   *
   * @default - CloudNativePG's `C` collation and character classification
   */
  readonly locale?: string;
  /**
   * The collation order (`--lc-collate`).
   *
   * @default - `locale`, otherwise `C`
   */
  readonly localeCollate?: string;
  /**
   * The character classification (`--lc-ctype`).
   *
   * @default - `locale`, otherwise `C`
   */
  readonly localeCType?: string;
  /**
   * The locale provider (`--locale-provider`).
   *
   * @default LocaleProvider.LIBC
   */
  readonly localeProvider?: LocaleProvider;
  /**
   * The ICU locale, with `LocaleProvider.ICU` (`--icu-locale`), e.g. `en-US`.
   *
   * @default - none
   */
  readonly icuLocale?: string;
  /**
   * Extra ICU collation rules, with `LocaleProvider.ICU` and PostgreSQL 16 or newer (`--icu-rules`).
   *
   * @default - none
   */
  readonly icuRules?: string;
  /**
   * The builtin provider's locale, with `LocaleProvider.BUILTIN` (`--builtin-locale`), e.g. `C.UTF-8`.
   *
   * @default - none
   */
  readonly builtinLocale?: string;
  /**
   * Page checksums (`initdb -k`): data corruption is detected on read, for a few percent of CPU.
   * It cannot be turned on later without a restart and `pg_checksums`.
   *
   * @default false - PostgreSQL's and CloudNativePG's default
   */
  readonly dataChecksums?: boolean;
  /**
   * The WAL segment size in MiB (`--wal-segsize`): a power of two from 1 to 1024.
   *
   * @default - PostgreSQL's 16
   */
  readonly walSegmentSize?: number;
}

/** Options of a recovery from an object store ({@link ClusterBootstrap.recovery}). */
export interface RecoveryOptions {
  /**
   * Where the recovery stops.
   *
   * @default RecoveryTarget.latest() - replay the whole archive
   */
  readonly target?: RecoveryTarget;
}

/** Options of a recovery from volume snapshots ({@link ClusterBootstrap.volumeSnapshots}). */
export interface VolumeSnapshotRecoveryOptions {
  /** The `VolumeSnapshot` of the data volume (PGDATA), in this cluster's namespace. */
  readonly storage: string;
  /**
   * The `VolumeSnapshot` of the WAL volume, when the backed-up cluster had one (this cluster then
   * needs `walStorage` too).
   *
   * @default - none
   */
  readonly walStorage?: string;
  /**
   * The archive to replay WAL from after the snapshot: needed for any point-in-time target, and
   * to go beyond the snapshot's own consistent point.
   *
   * @default - none: the cluster starts at the snapshot's point
   */
  readonly walSource?: BackupSource;
  /**
   * Where the recovery stops. A point-in-time target needs `walSource`.
   *
   * @default RecoveryTarget.latest() - the end of the WAL available
   */
  readonly target?: RecoveryTarget;
}

/** What a bootstrap adds to the Cluster. @internal */
export interface BootstrapFragment {
  readonly bootstrap?: cnpg.ClusterSpecBootstrap;
  readonly sources: BoundSource[];
}

/**
 * How a cluster's data directory comes to be, once, when the Cluster is created: a fresh
 * `initdb` (with its options), a recovery from another cluster's backups in an object store (to
 * a point in time), a recovery from volume snapshots, or a `pg_basebackup` from a running
 * primary. One prop of {@link CnpgSharedClusterProps} (`bootstrap`).
 *
 * A recovered cluster's own backups go under a new barman server name (see
 * `ClusterBackupOptions.serverName`): it never writes into the archive it came from.
 */
export class ClusterBootstrap {
  /**
   * A new, empty cluster (`bootstrap.initdb`), with its options.
   */
  public static initdb(options: InitdbOptions = {}): ClusterBootstrap {
    checkArgs('ClusterBootstrap.initdb', [options]);
    return new ClusterBootstrap('initdb', { initdb: options });
  }

  /**
   * A cluster restored from another cluster's backups in an object store
   * (`bootstrap.recovery.source` and an `externalClusters` entry), to the end of the archive or
   * to a point in time.
   *
   * @param source the backups: `BackupSource.fromBackup(backup)` or `BackupSource.objectStore({...})`
   */
  public static recovery(source: BackupSource, options: RecoveryOptions = {}): ClusterBootstrap {
    checkArgs('ClusterBootstrap.recovery', [source, options]);
    return new ClusterBootstrap('recovery', { source, target: options.target });
  }

  /**
   * A cluster restored from `VolumeSnapshot`s of another cluster's volumes
   * (`bootstrap.recovery.volumeSnapshots`), optionally replaying WAL from its archive.
   */
  public static volumeSnapshots(options: VolumeSnapshotRecoveryOptions): ClusterBootstrap {
    checkArgs('ClusterBootstrap.volumeSnapshots', [options]);
    return new ClusterBootstrap('volumeSnapshots', { snapshots: options, source: options?.walSource, target: options?.target });
  }

  /**
   * A copy of a running primary over streaming replication (`bootstrap.pg_basebackup`): the
   * bootstrap of a replica cluster without an archive.
   *
   * @param source a source with streaming (`BackupSource.streaming({...})`, or `streaming` on the others)
   */
  public static pgBaseBackup(source: BackupSource): ClusterBootstrap {
    checkArgs('ClusterBootstrap.pgBaseBackup', [source]);
    return new ClusterBootstrap('pgBaseBackup', { source });
  }

  /** `initdb`, `recovery`, `volumeSnapshots` or `pgBaseBackup`. */
  public readonly method: string;
  /** The source of a recovery or a pg_basebackup, if any. */
  public readonly source?: BackupSource;
  /** The recovery target, if any. */
  public readonly target?: RecoveryTarget;

  private readonly initdbOptions?: InitdbOptions;
  private readonly snapshots?: VolumeSnapshotRecoveryOptions;

  private constructor(method: string,
    o: { initdb?: InitdbOptions; source?: BackupSource; target?: RecoveryTarget; snapshots?: VolumeSnapshotRecoveryOptions }) {
    this.method = method;
    this.initdbOptions = o.initdb;
    this.source = o.source;
    this.target = o.target;
    this.snapshots = o.snapshots;
  }

  /** True when the cluster starts from another cluster's data (recovery, snapshots, pg_basebackup). */
  public get copiesData(): boolean {
    return this.method !== 'initdb';
  }

  /**
   * Validates and binds the bootstrap to its cluster: the sources' externalClusters entries and
   * the objects they need; the `spec.bootstrap` stanza.
   * @internal
   */
  public _bind(scope: Construct, cluster: ICnpgCluster, hooks: ClusterHooks,
    info: { readonly hasWalStorage: boolean; readonly replica: boolean }): BootstrapFragment {
    const field = 'bootstrap';
    switch (this.method) {
      case 'initdb': {
        const initdb = renderInitdb(scope, `${field}.initdb`, cluster, this.initdbOptions!);
        return { bootstrap: initdb ? { initdb } : undefined, sources: [] };
      }

      case 'recovery': {
        const source = this.source!;
        if (!source.hasArchive) {
          throw invalidInput(scope, `${field}.source`, source.name, 'has no archive to recover from (a streaming-only source)',
            'bootstrap with ClusterBootstrap.pgBaseBackup(source), or give the source\'s object store (BackupSource.objectStore({...}))');
        }
        const target = this.checkTarget(scope, field, false, info.replica);
        const bound = source._bind(scope, `${field}.source`, cluster, hooks);
        return {
          bootstrap: { recovery: { source: bound.name, recoveryTarget: target?._render(scope, `${field}.target`) } },
          sources: [bound],
        };
      }

      case 'volumeSnapshots': {
        const s = this.snapshots!;
        if (s.storage === '') {
          throw invalidInput(scope, `${field}.volumeSnapshots.storage`, s.storage, 'names no VolumeSnapshot of the data volume',
            'give the VolumeSnapshot of PGDATA (kubectl get volumesnapshot -n <namespace>), e.g. storage: "shared-postgres-20260301020000"');
        }
        snapshotName(scope, `${field}.volumeSnapshots.storage`, s.storage);
        if (s.walStorage !== undefined) {
          snapshotName(scope, `${field}.volumeSnapshots.walStorage`, s.walStorage);
          if (!info.hasWalStorage) {
            throw invalidInput(scope, `${field}.volumeSnapshots.walStorage`, s.walStorage, 'restores a WAL volume, but this cluster has no walStorage (CloudNativePG webhook: "A WAL storage configuration is required")',
              'give the cluster walStorage, as the backed-up cluster had');
          }
        }
        const target = this.checkTarget(scope, field, true, info.replica);
        if (target?.isPointInTime && target.kind !== 'immediate' && !this.source) {
          throw invalidInput(scope, `${field}.target`, target.toString(), 'is a point-in-time target, but the recovery has no WAL archive: a volume snapshot holds only the WAL of its own consistent point',
            'give walSource (the archive of the snapshotted cluster: BackupSource.fromBackup(backup) or BackupSource.objectStore({...})), or drop the target');
        }
        const bound = this.source ? this.source._bind(scope, `${field}.walSource`, cluster, hooks) : undefined;
        if (bound && !this.source!.hasArchive) {
          throw invalidInput(scope, `${field}.walSource`, bound.name, 'has no archive (a streaming-only source)', 'give the snapshotted cluster\'s object store');
        }
        const snapshot = (name: string) => ({ name, kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' });
        return {
          bootstrap: {
            recovery: {
              source: bound?.name,
              volumeSnapshots: { storage: snapshot(s.storage), walStorage: s.walStorage ? snapshot(s.walStorage) : undefined },
              recoveryTarget: target?._render(scope, `${field}.target`),
            },
          },
          sources: bound ? [bound] : [],
        };
      }

      default: { // 'pgBaseBackup' (the private constructor is given one of the four methods)
        const source = this.source!;
        if (!source.hasStreaming) {
          throw invalidInput(scope, `${field}.source`, source.name, 'cannot be streamed from (no streaming options)',
            'give streaming: { host: "<primary host>" } to the source, or recover from its archive with ClusterBootstrap.recovery(source)');
        }
        const bound = source._bind(scope, `${field}.source`, cluster, hooks);
        return { bootstrap: { pgBasebackup: { source: bound.name } }, sources: [bound] };
      }
    }
  }

  private checkTarget(scope: Construct, field: string, fromSnapshots: boolean, replica: boolean): RecoveryTarget | undefined {
    const target = this.target;
    if (target === undefined) return undefined;
    target._validate(scope, `${field}.target`, fromSnapshots);
    if (replica && target.isPointInTime) {
      throw invalidInput(scope, `${field}.target`, target.toString(), 'would stop a replica cluster, which replays its source continuously',
        'drop the target (a replica follows its source), or restore without replica');
    }
    return target;
  }
}

function snapshotName(scope: Construct, field: string, name: string): void {
  if (name.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
    throw invalidInput(scope, field, name, 'is not the name of a VolumeSnapshot (a DNS-1123 subdomain)', 'give the name kubectl get volumesnapshot -n <namespace> shows');
  }
}

function renderInitdb(scope: Construct, field: string, cluster: ICnpgCluster, o: InitdbOptions): cnpg.ClusterSpecBootstrapInitdb | undefined {
  const major = cluster.postgres.majorVersion;
  const sql = (name: string, list: string[] | undefined): string[] | undefined => {
    if (list === undefined) return undefined;
    list.forEach((stmt, i) => {
      if (stmt.trim() === '') {
        throw invalidInput(scope, `${field}.${name}[${i}]`, stmt, 'is not a SQL statement', 'give the statement as a non-empty string, or remove it');
      }
    });
    return list.length ? [...list] : undefined;
  };
  const refs = (name: string, r: SqlFileReferences | undefined) => {
    if (r === undefined) return undefined;
    const check = (kind: string, list: SqlFileReference[] | undefined) => (list ?? []).map((ref, i) => {
      // CloudNativePG's webhook: "key and name must be specified".
      if (!ref.name || !ref.key) {
        throw invalidInput(scope, `${field}.${name}.${kind}[${i}]`, ref, 'needs a name and a key (CloudNativePG\'s webhook refuses either missing)', 'give { name: "<object>", key: "<key>" }');
      }
      validateName(scope, `${field}.${name}.${kind}[${i}].name`, ref.name, { maxLength: 253 });
      if (!/^[-._a-zA-Z0-9]+$/.test(ref.key)) {
        throw invalidInput(scope, `${field}.${name}.${kind}[${i}].key`, ref.key, 'is not a valid key', 'use letters, digits, "-", "_" and ".", e.g. "init.sql"');
      }
      return { name: ref.name, key: ref.key };
    });
    const secretRefs = check('secrets', r.secrets);
    const configMapRefs = check('configMaps', r.configMaps);
    return secretRefs.length || configMapRefs.length
      ? { secretRefs: secretRefs.length ? secretRefs : undefined, configMapRefs: configMapRefs.length ? configMapRefs : undefined } : undefined;
  };
  if (o.encoding !== undefined) {
    const normalized = String(o.encoding).toUpperCase().replace(/[^A-Z0-9]/g, '');
    if (!SERVER_ENCODINGS.some((e) => e.replace(/_/g, '') === normalized)) {
      throw invalidInput(scope, `${field}.encoding`, o.encoding, 'is not a server encoding PostgreSQL\'s initdb accepts', 'use "UTF8" (the default) unless an application needs another');
    }
  }
  for (const [name, value] of [['locale', o.locale], ['localeCollate', o.localeCollate], ['localeCType', o.localeCType], ['icuLocale', o.icuLocale], ['builtinLocale', o.builtinLocale]] as const) {
    if (value !== undefined && !/^[A-Za-z0-9_.@-]+$/.test(value)) {
      throw invalidInput(scope, `${field}.${name}`, value, 'is not a locale name', 'give a locale such as "en_US.UTF-8" (libc), "en-US" (ICU) or "C.UTF-8" (builtin)');
    }
  }
  const provider = o.localeProvider;
  if (provider !== undefined) {
    if (major !== undefined && major < PROVIDER_SINCE[provider]) {
      throw invalidInput(scope, `${field}.localeProvider`, provider, `needs PostgreSQL ${PROVIDER_SINCE[provider]} or newer, but the cluster runs ${major}`, 'use LocaleProvider.LIBC, or a newer PostgreSQL');
    }
  }
  const needs = (name: string, value: string | undefined, wanted: LocaleProvider, since?: number) => {
    if (value === undefined) return;
    if (provider !== wanted) {
      throw invalidInput(scope, `${field}.${name}`, value, `needs localeProvider ${wanted} (initdb refuses it otherwise)`, `set localeProvider: LocaleProvider.${wanted.toUpperCase()}, or drop ${name}`);
    }
    if (since !== undefined && major !== undefined && major < since) {
      throw invalidInput(scope, `${field}.${name}`, value, `needs PostgreSQL ${since} or newer, but the cluster runs ${major}`, `drop ${name}, or use a newer PostgreSQL`);
    }
  };
  needs('icuLocale', o.icuLocale, LocaleProvider.ICU);
  needs('icuRules', o.icuRules, LocaleProvider.ICU, 16);
  needs('builtinLocale', o.builtinLocale, LocaleProvider.BUILTIN);
  if (provider === LocaleProvider.ICU && o.icuLocale === undefined && o.locale === undefined) {
    throw invalidInput(scope, `${field}.icuLocale`, undefined, 'is required with the ICU provider (initdb: "ICU locale must be specified")', 'give icuLocale, e.g. "en-US"');
  }
  if (provider === LocaleProvider.BUILTIN && o.builtinLocale === undefined && o.locale === undefined) {
    throw invalidInput(scope, `${field}.builtinLocale`, undefined, 'is required with the builtin provider (initdb: "locale must be specified if provider is builtin")', 'give builtinLocale, e.g. "C.UTF-8"');
  }
  if (o.walSegmentSize !== undefined) {
    const n = o.walSegmentSize;
    // CloudNativePG's webhook: "WAL segment size must be a power of 2"; initdb: 1 to 1024 MB.
    if (!Number.isInteger(n) || n < 1 || n > 1024 || (n & (n - 1)) !== 0) { // eslint-disable-line no-bitwise
      throw invalidInput(scope, `${field}.walSegmentSize`, n, 'is not a power of two from 1 to 1024 (MiB)', 'give e.g. 16 (PostgreSQL\'s default), 32 or 64');
    }
  }
  const out: cnpg.ClusterSpecBootstrapInitdb = {
    postInitSql: sql('postInitSql', o.postInitSql),
    postInitSqlRefs: refs('postInitSqlRefs', o.postInitSqlRefs),
    postInitApplicationSql: sql('postInitApplicationSql', o.postInitApplicationSql),
    postInitApplicationSqlRefs: refs('postInitApplicationSqlRefs', o.postInitApplicationSqlRefs),
    postInitTemplateSql: sql('postInitTemplateSql', o.postInitTemplateSql),
    postInitTemplateSqlRefs: refs('postInitTemplateSqlRefs', o.postInitTemplateSqlRefs),
    encoding: o.encoding,
    locale: o.locale,
    localeCollate: o.localeCollate,
    localeCType: o.localeCType,
    localeProvider: provider,
    icuLocale: o.icuLocale,
    icuRules: o.icuRules,
    builtinLocale: o.builtinLocale,
    dataChecksums: o.dataChecksums,
    walSegmentSize: o.walSegmentSize,
  };
  return Object.values(out).some((v) => v !== undefined) ? out : undefined;
}
