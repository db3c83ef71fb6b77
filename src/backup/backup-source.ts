import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IClusterBackup, RecoverySourceEntry, recoverySourceOf } from './backup-ref';
import { barmanConfiguration, ObjectStoreOptions, provisionCredentials, ResolvedObjectStore, resolveObjectStore } from './object-store';
import { BackupMethod } from '../cluster/attachments';
import { ArchiveLocation, ClusterHooks, clusterHooks } from '../cluster/cluster-hooks';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { toCrdJson } from '../common/crd-json';
import { invalidInput } from '../common/errors';
import { validateName } from '../common/names';
import { validateInteger } from '../common/numbers';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import { checkArgs } from '../core/prop-check';
import type * as barman from '../imports/barman-objectstore-barmancloud.cnpg.io';
import type * as cnpg from '../imports/cnpg-cluster-postgresql.cnpg.io';
import { OBJECT_STORE_SPEC } from '../imports/json-names';
import { BARMAN_CLOUD_PLUGIN, requireBarmanCloudPlugin } from '../versions/features';

/** How strictly a streaming replica checks the source's server certificate (libpq `sslmode`). */
export enum StreamingSslMode {
  /** The certificate must be signed by the CA and name the host: the default. */
  VERIFY_FULL = 'verify-full',
  /** The certificate must be signed by the CA (any host name). */
  VERIFY_CA = 'verify-ca',
}

/**
 * Streaming replication from the source's primary (`externalClusters[].connectionParameters`):
 * the `streaming_replica` user with its client certificate, over TLS.
 */
export interface StreamingOptions {
  /** The host of the source's primary as this Kubernetes cluster reaches it, e.g. `pg-eu-south-rw.example.com`. */
  readonly host: string;

  /**
   * The port.
   *
   * @default 5432
   */
  readonly port?: number;

  /**
   * The Secret (`tls.crt`, `tls.key`) with the source's `streaming_replica` client certificate,
   * copied from the source's `<source>-replication` Secret.
   *
   * @default - `<source>-replication`
   */
  readonly replicationTlsSecret?: string;

  /**
   * The Secret (`ca.crt`) with the CA of the source's server certificate, copied from the
   * source's `<source>-ca` Secret.
   *
   * @default - `<source>-ca`
   */
  readonly caSecret?: string;

  /**
   * How the server certificate is checked.
   *
   * @default StreamingSslMode.VERIFY_FULL
   */
  readonly sslMode?: StreamingSslMode;
}

/** Options of {@link BackupSource.fromBackup}. */
export interface BackupSourceOptions {
  /**
   * The source's name in `externalClusters` (and in a distributed topology's `primary`/`source`).
   *
   * @default - the backed-up cluster's name
   */
  readonly name?: string;

  /**
   * Also stream from the source's primary (a replica cluster then takes WAL from whichever is
   * ahead: CloudNativePG's hybrid mode).
   *
   * @default - the archive only
   */
  readonly streaming?: StreamingOptions;
}

/**
 * An archive written elsewhere (another program, another Kubernetes cluster), described with the
 * options `addBackup` takes: give the same bucket, path, server name, endpoint and credentials the
 * source's backups were written with.
 */
export interface ObjectStoreSourceOptions extends ObjectStoreOptions {
  /**
   * The name of the cluster that wrote the archive: its `externalClusters` name, and the default
   * of `serverName` and of the last part of `destinationPath` (`s3://<bucket>/<clusterName>`).
   */
  readonly clusterName: string;

  /**
   * How this cluster reads the archive: through the Barman Cloud plugin (an `ObjectStore` in this
   * cluster's namespace) or the deprecated in-tree `barmanObjectStore`.
   *
   * @default BackupMethod.PLUGIN
   */
  readonly method?: BackupMethod;

  /**
   * Also stream from the source's primary.
   *
   * @default - the archive only
   */
  readonly streaming?: StreamingOptions;
}

/** A source that is only streamed from (bootstrap with `pg_basebackup`; no archive). */
export interface StreamingSourceOptions extends StreamingOptions {
  /** The source cluster's name (its `externalClusters` name). */
  readonly clusterName: string;
}

/** A source bound to the cluster that reads it. @internal */
export interface BoundSource {
  readonly name: string;
  readonly entry: cnpg.ClusterSpecExternalClusters;
  /** The archive folder it reads, when it has one. */
  readonly archive?: ArchiveLocation;
  readonly streams: boolean;
  /** The objects written for it in the reading cluster's namespace (an ObjectStore, an ExternalSecret). */
  readonly objects: CheckedApiObject[];
  /** The source cluster's PostgreSQL parameters, when it is a cluster of this program. */
  readonly parameters?: { [key: string]: string };
}

type Origin =
  | { kind: 'backup'; backup: IClusterBackup }
  | { kind: 'objectStore'; options: ObjectStoreSourceOptions }
  | { kind: 'streaming' };

const BOUND = new WeakMap<ICnpgCluster, Map<BackupSource, BoundSource>>();
const SOURCE_STORES = new WeakMap<Chart, Map<string, { signature: string; object: CheckedApiObject }>>();

/**
 * The data a cluster is bootstrapped or replicated from: another cluster's backups (its archive
 * in an object store) and/or its primary (streaming). It becomes an `externalClusters[]` entry
 * that reads exactly what the source's backups wrote:
 *
 * - `BackupSource.fromBackup(backup)`: a backup of this program (`cluster.addBackup()`): the same
 *   ObjectStore (or a copy in another namespace), server name, endpoint, CA and credentials;
 * - `BackupSource.objectStore({ clusterName, ... })`: an archive written elsewhere, described with
 *   the options of `addBackup`;
 * - `BackupSource.streaming({ clusterName, host })`: a primary to stream from, without an archive.
 */
export class BackupSource {
  /**
   * The backups of a cluster of this program, read back exactly as they are written.
   *
   * @param backup what `cluster.addBackup()` returned
   */
  public static fromBackup(backup: IClusterBackup, options: BackupSourceOptions = {}): BackupSource {
    checkArgs('BackupSource.fromBackup', [backup, options]);
    const name = options.name ?? backup?.cluster?.clusterName;
    return new BackupSource(name, { kind: 'backup', backup }, options.streaming);
  }

  /**
   * An archive written elsewhere, described with the options `addBackup` takes.
   */
  public static objectStore(options: ObjectStoreSourceOptions): BackupSource {
    checkArgs('BackupSource.objectStore', [options]);
    return new BackupSource(options?.clusterName, { kind: 'objectStore', options }, options?.streaming);
  }

  /**
   * A primary to stream from (no archive): a replica cluster bootstrapped with `pg_basebackup`.
   */
  public static streaming(options: StreamingSourceOptions): BackupSource {
    checkArgs('BackupSource.streaming', [options]);
    return new BackupSource(options?.clusterName, { kind: 'streaming' }, options);
  }

  /** The source's name in `externalClusters`. */
  public readonly name: string;
  /** True when the source has an archive (an object store) to recover from. */
  public readonly hasArchive: boolean;
  /** True when the source is streamed from. */
  public readonly hasStreaming: boolean;

  private readonly origin: Origin;
  private readonly streamingOptions?: StreamingOptions;

  private constructor(name: string, origin: Origin, streaming: StreamingOptions | undefined) {
    this.name = name;
    this.origin = origin;
    this.streamingOptions = streaming;
    this.hasArchive = origin.kind !== 'streaming';
    this.hasStreaming = streaming !== undefined;
  }

  /**
   * The `externalClusters[]` entry of this source for `cluster` (written once per cluster, with
   * the objects it needs in the cluster's namespace: an ObjectStore, an ExternalSecret).
   * @internal
   */
  public _bind(scope: Construct, field: string, cluster: ICnpgCluster, hooks: ClusterHooks): BoundSource {
    let perCluster = BOUND.get(cluster);
    if (!perCluster) {
      perCluster = new Map();
      BOUND.set(cluster, perCluster);
    }
    const known = perCluster.get(this);
    if (known) return known;
    const bound = this.bind(scope, field, cluster, hooks);
    for (const other of perCluster.values()) {
      if (other.name !== bound.name) continue;
      // Two descriptions of one source (the bootstrap's and the replica's): one entry.
      if (JSON.stringify(other.entry) === JSON.stringify(bound.entry)) {
        perCluster.set(this, other);
        return other;
      }
      throw invalidInput(scope, `${field}.name`, bound.name, 'names two different sources of this cluster (externalClusters names are unique)',
        'describe the source once and pass the same BackupSource, or give each source its own name (BackupSource.fromBackup(backup, { name }) or clusterName)');
    }
    perCluster.set(this, bound);
    return bound;
  }

  private bind(scope: Construct, field: string, cluster: ICnpgCluster, hooks: ClusterHooks): BoundSource {
    if (this.origin.kind === 'backup') recoverySourceOf(scope, `${field}.backup`, this.origin.backup);
    if (typeof this.name !== 'string') {
      throw invalidInput(scope, field, this.name, 'has no cluster name', 'give clusterName (the name of the cluster that wrote the archive)');
    }
    validateName(scope, `${field}.name`, this.name, { maxLength: 63 });
    const connection = this.streamingOptions ? streamingEntry(scope, `${field}.streaming`, this.name, this.streamingOptions) : {};
    const origin = this.origin;
    if (origin.kind === 'streaming') {
      return { name: this.name, entry: { name: this.name, ...connection }, streams: true, objects: [] };
    }

    if (origin.kind === 'backup') {
      const entry = recoverySourceOf(scope, `${field}.backup`, origin.backup);
      const backup = origin.backup;
      const archive = { name: this.name, destinationPath: backup.destinationPath, serverName: backup.serverName };
      if (backup.cluster === cluster) {
        throw invalidInput(scope, field, this.name, 'is this cluster\'s own backup', 'recover from another cluster\'s backups, or from BackupSource.objectStore({...}) of an earlier cluster');
      }
      const store = (backup as unknown as { _store?: ResolvedObjectStore })._store;
      const method = (backup as unknown as { method?: BackupMethod }).method;
      const parameters = clusterHooks(scope, `${field}.backup.cluster`, backup.cluster)._postgresParameters();
      if (backup.cluster.namespace === cluster.namespace || !store || !entry.plugin) {
        // Same namespace: the source's ObjectStore and Secret serve both. The in-tree entry carries
        // the whole configuration (its Secret must exist in this namespace too: written below when
        // it comes from the secret store).
        const sync = store && backup.cluster.namespace !== cluster.namespace
          ? provisionCredentials(this.child(scope), field, cluster, hooks, store, `${field} (the source's credentials)`) : undefined;
        return {
          name: this.name,
          entry: { name: this.name, ...entry, ...connection },
          archive,
          streams: this.hasStreaming,
          objects: sync ? [sync.apiObject] : [],
          parameters,
        };
      }
      return { ...this.bindStore(scope, field, cluster, hooks, store, method ?? BackupMethod.PLUGIN, connection), parameters };
    }

    const options = origin.options;
    const store = resolveObjectStore(scope, options, {
      archiveCluster: this.name, serverName: this.name, settings: cluster.settings, field: `${field}.`,
    });
    return this.bindStore(scope, field, cluster, hooks, store, options.method ?? BackupMethod.PLUGIN, connection);
  }

  private bindStore(scope: Construct, field: string, cluster: ICnpgCluster, hooks: ClusterHooks, store: ResolvedObjectStore,
    method: BackupMethod, connection: Partial<cnpg.ClusterSpecExternalClusters>): BoundSource {
    // The method is a BackupMethod: checkArgs checks the options', and a ClusterBackup's is one.
    const child = this.child(scope);
    const sync = provisionCredentials(child, field, cluster, hooks, store, `${field} (the source's credentials)`);
    const secrets = sync ? [sync.apiObject] : [];
    if (store.credentials.roleArn !== undefined) hooks._addServiceAccountAnnotations({ 'eks.amazonaws.com/role-arn': store.credentials.roleArn });
    const archive = { name: this.name, destinationPath: store.destinationPath, serverName: store.serverName };
    const configuration = barmanConfiguration(store);
    if (method === BackupMethod.BARMAN_OBJECT_STORE) {
      const entry: RecoverySourceEntry = {
        barmanObjectStore: { ...configuration, serverName: store.serverName } as cnpg.ClusterSpecExternalClustersBarmanObjectStore,
      };
      return { name: this.name, entry: { name: this.name, ...entry, ...connection }, archive, streams: this.hasStreaming, objects: secrets };
    }
    requireBarmanCloudPlugin(scope, cluster.operatorVersion);
    // A name of at most 63 characters (checked in bind) gives a valid ObjectStore name.
    const objectStoreName = `${this.name}-source`;
    const objectStore = sourceObjectStore(child, cluster, objectStoreName, configuration);
    return {
      name: this.name,
      entry: {
        name: this.name,
        plugin: { name: BARMAN_CLOUD_PLUGIN.name, parameters: { barmanObjectName: objectStoreName, serverName: store.serverName } },
        ...connection,
      },
      archive,
      streams: this.hasStreaming,
      objects: [objectStore, ...secrets],
    };
  }

  private child(scope: Construct): Construct {
    const id = `Source-${this.name}`;
    return (scope.node.tryFindChild(id) as Construct | undefined) ?? new Construct(scope, id);
  }
}

/**
 * A read-only ObjectStore for a source (no retention policy: the writer owns the archive's
 * retention), shared by the clusters of one namespace that read the same archive.
 */
function sourceObjectStore(scope: Construct, cluster: ICnpgCluster, name: string, configuration: Record<string, any>): CheckedApiObject {
  const chart = Chart.of(scope);
  let written = SOURCE_STORES.get(chart);
  if (!written) {
    written = new Map();
    SOURCE_STORES.set(chart, written);
  }
  const key = `${cluster.namespace}/${name}`;
  const signature = JSON.stringify(configuration);
  const existing = written.get(key);
  if (existing) {
    if (existing.signature !== signature) {
      throw invalidInput(scope, 'source', name, 'is already an ObjectStore of another archive configuration in this namespace', 'give the source another name');
    }
    return existing.object;
  }
  const object = checkedObject(scope, 'ObjectStore', {
    apiVersion: 'barmancloud.cnpg.io/v1',
    kind: 'ObjectStore',
    metadata: {
      name,
      namespace: cluster.namespace,
      labels: { ...cluster.commonLabels, 'app.kubernetes.io/component': 'recovery-source' },
    },
    fields: { spec: toCrdJson({ configuration: configuration as barman.ObjectStoreSpecConfiguration }, OBJECT_STORE_SPEC) },
  });
  written.set(key, { signature, object });
  return object;
}

function streamingEntry(scope: Construct, field: string, name: string, o: StreamingOptions): Partial<cnpg.ClusterSpecExternalClusters> {
  if (!/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$|^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(o.host)) {
    throw invalidInput(scope, `${field}.host`, o.host, 'is not a host name or address', 'give the source primary\'s host as this Kubernetes cluster reaches it, e.g. "pg-eu-south-rw.example.com"');
  }
  const port = o.port ?? 5432;
  validateInteger(scope, `${field}.port`, port, 1, 65535, 'give a TCP port, e.g. 5432');
  // checkArgs admits only the StreamingSslMode values (both check the server).
  const sslMode = o.sslMode ?? StreamingSslMode.VERIFY_FULL;
  const tls = o.replicationTlsSecret ?? `${name}-replication`;
  const ca = o.caSecret ?? `${name}-ca`;
  validateName(scope, `${field}.replicationTlsSecret`, tls, { maxLength: 253 });
  validateName(scope, `${field}.caSecret`, ca, { maxLength: 253 });
  return {
    connectionParameters: {
      host: o.host,
      ...(port !== 5432 ? { port: String(port) } : {}),
      user: 'streaming_replica',
      dbname: 'postgres',
      sslmode: sslMode,
    },
    sslKey: { name: tls, key: 'tls.key' },
    sslCert: { name: tls, key: 'tls.crt' },
    sslRootCert: { name: ca, key: 'ca.crt' },
  };
}
