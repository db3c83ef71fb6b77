/**
 * Every version gate and every operator rule the library re-implements, as probes for the real
 * systems. Each probe is one object, dry-run applied (server-side apply, every admission step
 * and webhook, nothing stored) to each release; its real verdict is compared with what the
 * library decides for the same input when it targets that release (`library`). A gate stricter
 * or looser than the operator is a disagreement, and the test fails naming it.
 *
 * To add a gate: add a row (a probe object and the library's verdict). The probes of CRD fields
 * and parameters are generated from the library's own tables, so a field or parameter added to
 * them is probed without a new row here.
 */
import { Chart, Testing } from 'cdk8s';
import { BackupSchedule, CnpgSharedCluster, CnpgVersion, Quantity, SynchronousReplication } from '../../../src';
import { OPERATOR_MANAGED_PARAMETERS } from '../../../src/cluster/postgres-parameters';
import { ALLOWED_PGBOUNCER_PARAMETERS, PGBOUNCER_PARAMETERS_SINCE } from '../../../src/pooler/pgbouncer-parameters';
import { CnpgField, releasesWith } from '../../../src/versions/features';

/** The namespace every probe lives in. */
export const PROBE_NAMESPACE = 'gate-probes';

export type GateKind = 'crd-field' | 'pgbouncer-parameter' | 'postgres-parameter' | 'webhook-rule';

export interface GateProbe {
  /** What is probed, e.g. `Pooler parameter client_tls_sslmode`. */
  readonly id: string;
  readonly kind: GateKind;
  /** Whether only the operator's webhook can judge it (the CRD schema alone cannot). */
  readonly needsOperator: boolean;
  /** The object to dry-run apply. */
  readonly object: any;
  /** Whether the library lets this input through when it targets `release`. */
  readonly library: (release: string) => boolean;
  /**
   * Why the library refuses, on purpose, what the operator accepts (then that is no
   * disagreement; the reverse always is).
   */
  readonly stricterOnPurpose?: string;
}

// --- the library's side: its tables, read in one place --------------------------------------

/** The library's version model: does `release` reach `since`? */
function atLeast(release: string, since: CnpgVersion): boolean {
  return CnpgVersion.of(release).isAtLeast(since);
}

/** Whether the library lets a build through (constructs and synth), targeting `release`. */
function libraryAccepts(release: string, build: (chart: Chart, version: CnpgVersion) => void): boolean {
  const chart = Testing.chart();
  try {
    build(chart, CnpgVersion.of(release));
    Testing.synth(chart);
    return true;
  } catch {
    return false;
  }
}

// --- base objects: accepted by every release (the control probes check it) -----------------

const meta = (name: string): any => ({ name, namespace: PROBE_NAMESPACE });

export function baseCluster(name = 'probe'): any {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: meta(name),
    spec: { instances: 3, imageName: 'ghcr.io/cloudnative-pg/postgresql:17.6', storage: { size: '1Gi' } },
  };
}

export function basePooler(name = 'probe-pooler', cluster = 'probe'): any {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Pooler',
    metadata: meta(name),
    spec: { cluster: { name: cluster }, instances: 1, type: 'rw', pgbouncer: { poolMode: 'session' } },
  };
}

export function baseDatabase(name = 'probe-app'): any {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Database',
    metadata: meta(name),
    spec: { cluster: { name: 'probe' }, name: 'app', owner: 'app' },
  };
}

/** The base objects, each of which every release must accept. */
export function controls(): any[] {
  return [baseCluster(), basePooler(), baseDatabase()];
}

function withSpec(o: any, patch: (spec: any) => void): any {
  const copy = JSON.parse(JSON.stringify(o));
  patch(copy.spec);
  return copy;
}

// --- CRD fields that not every release has --------------------------------------------------

/**
 * A field (or enum value) some supported releases lack, with a valid probe for it. The library's
 * verdict comes from its own per-release schema data (`releasesWith`, the data its schema check
 * of every written object uses); the real one from the API server and the webhooks.
 */
interface FieldProbe extends CnpgField {
  readonly probe: () => any;
}

/** The fields the CRDs of 1.27.0 to 1.30.1 differ in, as far as the library writes them or could. */
const FIELD_PROBES: Record<string, FieldProbe> = {
  clusterFailoverQuorum: {
    kind: 'Cluster',
    field: 'spec.postgresql.synchronous.failoverQuorum',
    probe: () => withSpec(baseCluster(), (s) => { s.postgresql = { synchronous: { method: 'any', number: 1, failoverQuorum: true } }; }),
  },
  clusterPodSecurityContext: {
    kind: 'Cluster',
    field: 'spec.podSecurityContext',
    probe: () => withSpec(baseCluster(), (s) => { s.podSecurityContext = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }; }),
  },
  clusterSecurityContext: {
    kind: 'Cluster',
    field: 'spec.securityContext',
    probe: () => withSpec(baseCluster(), (s) => { s.securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }; }),
  },
  clusterPrimaryLease: {
    kind: 'Cluster',
    field: 'spec.primaryLease',
    probe: () => withSpec(baseCluster(), (s) => { s.primaryLease = { leaseDurationSeconds: 15 }; }),
  },
  clusterPodSelectorRefs: {
    kind: 'Cluster',
    field: 'spec.podSelectorRefs',
    probe: () => withSpec(baseCluster(), (s) => { s.podSelectorRefs = [{ name: 'apps', selector: { matchLabels: { app: 'web' } } }]; }),
  },
  clusterServiceAccountName: {
    kind: 'Cluster',
    field: 'spec.serviceAccountName',
    probe: () => withSpec(baseCluster(), (s) => { s.serviceAccountName = 'probe-sa'; }),
  },
  clusterMetricsQueriesTtl: {
    kind: 'Cluster',
    field: 'spec.monitoring.metricsQueriesTTL',
    probe: () => withSpec(baseCluster(), (s) => { s.monitoring = { metricsQueriesTTL: '30s' }; }),
  },
  clusterExtensionBinPath: {
    kind: 'Cluster',
    field: 'spec.postgresql.extensions[].bin_path',
    probe: () => withSpec(baseCluster(), (s) => {
      s.imageName = 'ghcr.io/cloudnative-pg/postgresql:18.1-minimal-trixie';
      s.postgresql = { extensions: [{ name: 'postgis', image: { reference: 'ghcr.io/cloudnative-pg/postgis-extension:3.6.1-18-trixie' }, bin_path: ['bin'] }] };
    }),
  },
  barmanLz4Compression: {
    kind: 'Cluster',
    field: 'spec.backup.barmanObjectStore.data.compression',
    value: 'lz4',
    probe: () => withSpec(baseCluster(), (s) => {
      s.backup = { barmanObjectStore: { destinationPath: 's3://probe/', s3Credentials: { inheritFromIAMRole: true }, data: { compression: 'lz4' } } };
    }),
  },
  barmanAzureDefaultCredentials: {
    kind: 'Cluster',
    field: 'spec.backup.barmanObjectStore.azureCredentials.useDefaultAzureCredentials',
    probe: () => withSpec(baseCluster(), (s) => {
      s.backup = { barmanObjectStore: { destinationPath: 'https://probe.blob.core.windows.net/probe', azureCredentials: { useDefaultAzureCredentials: true } } };
    }),
  },
  importPgRestoreOptions: {
    kind: 'Cluster',
    field: 'spec.bootstrap.initdb.import.pgRestoreDataOptions',
    probe: () => withSpec(baseCluster(), (s) => {
      s.bootstrap = { initdb: { database: 'app', owner: 'app', import: { type: 'microservice', databases: ['app'], source: { externalCluster: 'old' }, pgRestoreDataOptions: ['--no-owner'] } } };
      s.externalClusters = [{ name: 'old', connectionParameters: { host: 'old-rw', user: 'postgres', dbname: 'postgres' } }];
    }),
  },
  poolerClientTls: {
    kind: 'Pooler',
    field: 'spec.pgbouncer.clientTLSSecret',
    probe: () => withSpec(basePooler(), (s) => { s.pgbouncer.clientTLSSecret = { name: 'probe-client-tls' }; s.pgbouncer.clientCASecret = { name: 'probe-client-ca' }; }),
  },
  // A server certificate authenticates PgBouncer to PostgreSQL: the webhook then wants the auth query too.
  poolerServerTls: {
    kind: 'Pooler',
    field: 'spec.pgbouncer.serverTLSSecret',
    probe: () => withSpec(basePooler(), (s) => {
      s.pgbouncer.serverTLSSecret = { name: 'probe-server-tls' };
      s.pgbouncer.serverCASecret = { name: 'probe-server-ca' };
      s.pgbouncer.authQuery = 'SELECT usename, passwd FROM public.user_search($1)';
    }),
  },
  poolerImage: {
    kind: 'Pooler',
    field: 'spec.pgbouncer.image',
    probe: () => withSpec(basePooler(), (s) => { s.pgbouncer.image = 'ghcr.io/cloudnative-pg/pgbouncer:1.24.1'; }),
  },
  poolerMonitoringTls: {
    kind: 'Pooler',
    field: 'spec.monitoring.tls',
    probe: () => withSpec(basePooler(), (s) => { s.monitoring = { tls: { enabled: true } }; }),
  },
  poolerServiceAccountName: {
    kind: 'Pooler',
    field: 'spec.serviceAccountName',
    probe: () => withSpec(basePooler(), (s) => { s.serviceAccountName = 'probe-sa'; }),
  },
  databaseFdws: {
    kind: 'Database',
    field: 'spec.fdws',
    probe: () => withSpec(baseDatabase(), (s) => { s.fdws = [{ name: 'postgres_fdw' }]; }),
  },
  // A server names a wrapper of the same Database (the webhook checks it), itself a 1.28 field.
  databaseServers: {
    kind: 'Database',
    field: 'spec.servers',
    probe: () => withSpec(baseDatabase(), (s) => { s.fdws = [{ name: 'postgres_fdw' }]; s.servers = [{ name: 'remote', fdw: 'postgres_fdw' }]; }),
  },
};

function fieldProbes(): GateProbe[] {
  return Object.entries(FIELD_PROBES).map(([key, f]) => {
    const releases = releasesWith(f).map((r) => r.release);
    return {
      id: `${f.kind} ${f.field}${f.value !== undefined ? ` "${f.value}"` : ''} (${key})`,
      kind: 'crd-field' as const,
      needsOperator: false,
      object: f.probe(),
      library: (release: string) => releases.includes(CnpgVersion.of(release).release),
    };
  });
}

// --- PgBouncer parameters ------------------------------------------------------------------

/** A value PgBouncer accepts for a parameter (the webhooks judge the key; some releases the value). */
const PGBOUNCER_VALUES: Record<string, string> = {
  auth_type: 'scram-sha-256',
  client_tls_sslmode: 'require',
  server_tls_sslmode: 'verify-full',
  server_tls_protocols: 'tlsv1.3',
  server_tls_ciphers: 'HIGH',
  client_tls_protocols: 'tlsv1.3',
  client_tls_ciphers: 'HIGH',
  ignore_startup_parameters: 'search_path',
  server_check_query: 'select 1',
  server_reset_query: 'DISCARD ALL',
  track_extra_parameters: 'IntervalStyle',
  tcp_keepalive: '1',
};

/**
 * The PgBouncer parameters to probe: the library's allow-list and every key of each release's
 * `AllowedPgbouncerGenericConfigurationParameters` (read from the release's source by the caller).
 */
function pgbouncerProbes(operatorKeys: Iterable<string>): GateProbe[] {
  const keys = [...new Set([...ALLOWED_PGBOUNCER_PARAMETERS, ...operatorKeys])].sort();
  return keys.map((key) => ({
    id: `Pooler parameter ${key}`,
    kind: 'pgbouncer-parameter' as const,
    needsOperator: true,
    object: withSpec(basePooler(`probe-${key.replace(/[^a-z0-9]+/g, '-')}`), (s) => { s.pgbouncer.parameters = { [key]: PGBOUNCER_VALUES[key] ?? '1' }; }),
    library: (release: string) => ALLOWED_PGBOUNCER_PARAMETERS.includes(key)
      && (!PGBOUNCER_PARAMETERS_SINCE[key] || atLeast(release, PGBOUNCER_PARAMETERS_SINCE[key])),
  }));
}

// --- PostgreSQL parameters the operator fixes -----------------------------------------------

/**
 * A value for each probed parameter that differs from the one the operator writes itself: the
 * webhook accepts a fixed parameter set to exactly the operator's own value (the library refuses
 * the key whatever the value, which decides nothing about a release).
 */
const POSTGRES_VALUES: Record<string, string> = {
  port: '5433',
  listen_addresses: '*',
  ssl: 'off',
  hot_standby: 'off',
  archive_mode: 'always',
  logging_collector: 'off',
  log_destination: 'syslog',
  unix_socket_directories: '/tmp',
  full_page_writes: 'off',
  wal_sender_timeout: '10s',
};

/**
 * Fixed parameters whose value the webhook lets through although the operator then writes its
 * own value over it: the library refuses them because setting them has no effect.
 */
const PARAMETERS_WRITTEN_OVER: Record<string, string> = {
  archive_mode: 'the operator writes archive_mode itself (off, on, or always for a replica cluster) after the user\'s parameters '
    + '(CreatePostgresqlConfiguration in pkg/postgres/configuration.go), so a value set in the Cluster has no effect',
};

function postgresParameterProbes(operatorFixed: Iterable<string>): GateProbe[] {
  const keys = [...new Set([...Object.keys(OPERATOR_MANAGED_PARAMETERS), ...operatorFixed])].sort();
  return keys.map((key) => ({
    id: `Cluster parameter ${key}`,
    kind: 'postgres-parameter' as const,
    needsOperator: true,
    object: withSpec(baseCluster(`probe-${key.replace(/[^a-z0-9]+/g, '-')}`), (s) => { s.postgresql = { parameters: { [key]: POSTGRES_VALUES[key] ?? 'probe' } }; }),
    library: () => !(key in OPERATOR_MANAGED_PARAMETERS),
    stricterOnPurpose: PARAMETERS_WRITTEN_OVER[key],
  }));
}

// --- the operator's rules the library re-implements ------------------------------------------

function clusterWith(chart: Chart, version: CnpgVersion, props: Record<string, unknown>): CnpgSharedCluster {
  return new CnpgSharedCluster(chart, 'probe', { operatorVersion: version, clusterName: 'probe', namespace: PROBE_NAMESPACE, ...props });
}

function webhookRuleProbes(): GateProbe[] {
  const rows: GateProbe[] = [];
  // Label keys and values (the API server's metadata validation, re-implemented for every object
  // the library writes in src/core/checked-api-object.ts): the verdict of the server itself.
  for (const [i, [key, value]] of ([
    ['team name', 'db'], ['team', 'a'.repeat(64)], ['team', 'db/core'], ['a/b/c', 'x'], ['-team', 'db'],
    ['example.com/team', 'db'], ['team', 'a'.repeat(63)], ['team', ''], ['a.b_c-d', 'A.b_c-9'],
  ] as const).entries()) {
    rows.push({
      id: `label ${JSON.stringify(key)}: ${JSON.stringify(value.length > 20 ? `${value.slice(0, 8)}... (${value.length})` : value)}`,
      kind: 'webhook-rule',
      needsOperator: false,
      object: { ...baseCluster(`probe-label-${i}`), metadata: { ...meta(`probe-label-${i}`), labels: { [key]: value } } },
      library: (release) => libraryAccepts(release, (c, v) => clusterWith(c, v, { labels: { [key]: value } })),
    });
  }
  // shared_buffers must fit in the memory request (cluster webhook).
  for (const [sb, mem] of [['512MB', 256], ['256MB', 256], ['257MB', 256], ['128MB', 256]] as const) {
    rows.push({
      id: `shared_buffers ${sb} with a memory request of ${mem}Mi`,
      kind: 'webhook-rule',
      needsOperator: true,
      object: withSpec(baseCluster(`probe-sb-${sb.toLowerCase()}`), (s) => {
        s.resources = { requests: { memory: `${mem}Mi` } };
        s.postgresql = { parameters: { shared_buffers: sb } };
      }),
      library: (release) => libraryAccepts(release, (c, v) => clusterWith(c, v, {
        resources: { memoryRequest: Quantity.mebibytes(mem) }, parameters: { sharedBuffers: sb },
      })),
    });
  }
  // min_wal_size and max_wal_size as the webhook reads them (parsePostgresQuantityValue), written
  // through an escape hatch (the typed props take whole numbers): a fraction with a unit, spaces
  // before the number and the unit, a space after the unit, a unit PostgreSQL does not know.
  const walSizes: Array<[string, string | undefined, string?]> = [
    ['1.5GB', undefined], ['512MB', '1.5GB'], [' 512 MB', undefined], ['512MB ', undefined],
    ['3KB', undefined, 'PostgreSQL\'s units are case-sensitive (kB): it refuses 3KB, and the instance would not start'],
  ];
  for (const [i, [min, max, stricter]] of walSizes.entries()) {
    const parameters = { min_wal_size: min, ...(max ? { max_wal_size: max } : {}) };
    rows.push({
      id: `min_wal_size ${JSON.stringify(min)}${max ? ` and max_wal_size ${JSON.stringify(max)}` : ''}`,
      kind: 'webhook-rule',
      needsOperator: true,
      object: withSpec(baseCluster(`probe-wal-${i}`), (s) => { s.postgresql = { parameters }; }),
      library: (release) => libraryAccepts(release, (c, v) => {
        const cluster = clusterWith(c, v, {});
        for (const [k, value] of Object.entries(parameters)) cluster.apiObject.addOverride(`spec.postgresql.parameters.${k}`, value);
      }),
      stricterOnPurpose: stricter,
    });
  }
  // synchronous replication: the number of synchronous standbys against the instances and the
  // standby names listed before and after the cluster's own.
  for (const [instances, number, pre] of [[3, 2, []], [3, 3, []], [2, 2, ['external-a']], [1, 1, []]] as const) {
    rows.push({
      id: `synchronous any number ${number} with ${instances} instance(s)${pre.length ? ` and standbyNamesPre [${pre.join(', ')}]` : ''}`,
      kind: 'webhook-rule',
      needsOperator: true,
      object: withSpec(baseCluster(`probe-sync-${instances}-${number}-${pre.length}`), (s) => {
        s.instances = instances;
        s.postgresql = { synchronous: { method: 'any', number, ...(pre.length ? { standbyNamesPre: [...pre] } : {}) } };
      }),
      library: (release) => libraryAccepts(release, (c, v) => clusterWith(c, v, {
        // acceptBlockedWrites: the library's own refusal of no spare standby is not the webhook's rule probed here.
        instances,
        replication: SynchronousReplication.any({ number, acceptBlockedWrites: true, ...(pre.length ? { standbyNamesPre: [...pre] } : {}) }),
      })),
    });
  }
  // A Pooler may not be named like its Cluster (pooler webhook): the library names an
  // application's pooler `<app>-pooler`, so a cluster named `keycloak-pooler` collides. The
  // second row is the control: the same application on a cluster named otherwise.
  for (const clusterName of ['keycloak-pooler', 'probe']) {
    rows.push({
      id: `the application keycloak's Pooler keycloak-pooler on the cluster ${clusterName}`,
      kind: 'webhook-rule',
      needsOperator: true,
      object: basePooler('keycloak-pooler', clusterName),
      library: (release) => libraryAccepts(release, (c, v) => {
        const cluster = new CnpgSharedCluster(c, 'probe', { operatorVersion: v, clusterName, namespace: PROBE_NAMESPACE, secretStore: { name: 'probe-store' } });
        cluster.addApplication('keycloak', { credentials: { remoteKey: 'databases/keycloak' } });
      }),
    });
  }
  // ScheduledBackup schedules: CloudNativePG reads six fields, seconds first. A five-field
  // expression is accepted (with a warning) and read differently from what its author meant.
  for (const schedule of ['0 0 2 * * *', '0 2 * * *']) {
    rows.push({
      id: `ScheduledBackup schedule "${schedule}"`,
      kind: 'webhook-rule',
      needsOperator: true,
      object: {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'ScheduledBackup',
        metadata: meta(`probe-schedule-${schedule.split(' ').length}`),
        spec: { schedule, cluster: { name: 'probe' }, backupOwnerReference: 'self' },
      },
      library: () => {
        try {
          BackupSchedule.expression(schedule).nextFireTimes(new Date(0), 1);
          return true;
        } catch {
          return false;
        }
      },
      stricterOnPurpose: schedule.split(' ').length === 5
        ? 'the operator accepts a five-field schedule with a warning only, and then reads it seconds-first: "0 2 * * *" runs at minute 2 of every hour, not at 02:00'
        : undefined,
    });
  }
  return rows;
}

/**
 * Every probe. `operatorLists` are the keys read from the releases' sources (the PgBouncer
 * allow-list and the fixed PostgreSQL parameters), so keys the library does not know are probed too.
 */
export function gateProbes(operatorLists: { pgbouncer: Iterable<string>; fixedParameters: Iterable<string> }): GateProbe[] {
  return [
    ...fieldProbes(), ...pgbouncerProbes(operatorLists.pgbouncer),
    ...postgresParameterProbes(operatorLists.fixedParameters), ...webhookRuleProbes(),
  ];
}

/** The keys of a Go string set or map literal (`Name = stringset.From([]string{...})` / `map[string]string{...}`). */
export function goLiteralKeys(source: string, name: string): string[] {
  const start = source.indexOf(`${name} = `);
  if (start < 0) throw new Error(`${name} not found in the operator source`);
  const open = source.indexOf('{', start);
  const close = /\n\t*\}/.exec(source.slice(open));
  if (!close) throw new Error(`the literal of ${name} does not end`);
  const body = source.slice(open + 1, open + close.index).replace(/\/\/.*$/gm, '');
  return [...body.matchAll(/"([a-z0-9_]+)"\s*[,:]/g)].map((m) => m[1]);
}
