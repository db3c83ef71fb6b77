/**
 * fast-check arbitraries of VALID inputs to the library's public API: every value they produce is
 * one a platform engineer may legitimately write, so the library must synthesize it into valid,
 * secure, deterministic YAML. Invalid inputs live in test/gates/bad-input.test.ts.
 *
 * Each generated configuration is a plain-data "plan" (printable, so a failing case shrinks to
 * something readable) that `buildPlan` turns into constructs.
 */
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  ApplicationProfile, ApplicationProps, BackupCompression, BackupCredentials, BackupMethod, BackupRetention, BackupSchedule,
  BackupTarget, ClusterBackupOptions, ClusterSettings, CnpgMonitoringOptions, CnpgSharedClusterProps, CnpgVersion, DataDurability, PodAntiAffinity,
  PoolMode, PostgresImage, PreparedStatementUse, Quantity, SecretStoreKind, ServerSideEncryption, SettingsMode, SuperuserAccess,
  SynchronousReplication, TlsVersion, ZoneSpread,
} from '../../src';

// ---------------------------------------------------------------------------------------------
// Names and small values
// ---------------------------------------------------------------------------------------------

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
/**
 * A string of `first`, then up to `max - 2` of `middle`, then one of `last` (or only `first`).
 * Built from character sets rather than fc.stringMatching, which is ten times slower here.
 */
export function token(first: string, middle: string, last: string, max: number): fc.Arbitrary<string> {
  const ch = (set: string) => fc.constantFrom(...set.split(''));
  return fc.tuple(ch(first), fc.option(fc.tuple(fc.string({ unit: ch(middle), maxLength: Math.max(0, max - 2) }), ch(last)), { nil: undefined }))
    .map(([a, rest]) => (rest ? a + rest[0] + rest[1] : a))
    // Never YAML 1.2's octal form (`0o17`): cdk8s writes it unquoted, its readers take a number,
    // and the library refuses it (src/checks/yaml-plain.ts).
    .filter((v) => !/^0o[0-7]+$/.test(v));
}

/** A DNS-1035 label of 1..max characters. */
export const dns1035 = (max: number) => token(LOWER, `-${LOWER}${DIGITS}`, LOWER + DIGITS, max);
/** A DNS-1123 label of 1..max characters. */
export const dns1123 = (max: number) => token(LOWER + DIGITS, `-${LOWER}${DIGITS}`, LOWER + DIGITS, max);
/** A DNS-1123 subdomain of a few labels. */
export const subdomain = fc.array(dns1123(12), { minLength: 1, maxLength: 3 }).map((l) => l.join('.'));
/** A secret-store item path such as `kubernetes/infra/cloudnative-pg/harbor`. */
export const secretPath = fc.array(token(LOWER + DIGITS, `${LOWER}${DIGITS}_-`, `${LOWER}${DIGITS}_-`, 16), { minLength: 1, maxLength: 4 }).map((p) => p.join('/'));
/** A label key (optionally prefixed) and a label value. */
export const labelKey = fc.tuple(fc.option(subdomain, { nil: undefined }), token(LOWER, `-_.${LOWER}${DIGITS}`, LOWER + DIGITS, 16))
  .map(([prefix, name]) => (prefix ? `${prefix}/${name}` : name))
  .filter((k) => !k.startsWith('app.kubernetes.io/') && !k.startsWith('cnpg.io/'));
export const labelValue = fc.oneof(fc.constant(''), token(LOWER + LOWER.toUpperCase() + DIGITS, `-_.${LOWER}${LOWER.toUpperCase()}${DIGITS}`, LOWER + LOWER.toUpperCase() + DIGITS, 22));
export const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });

/** The lower-case words YAML 1.1 (Flux's substitution reads it) takes for a boolean or null. */
const YAML_11_WORDS = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null']);
/** Values of an arbitrary that read as themselves after Flux substitutes them unquoted. */
const plainWord = (a: fc.Arbitrary<string>) => a.filter((v) => !YAML_11_WORDS.has(v));

const fluxVar = (name: string) => fc.constant('${' + name + '}');
/** Values for the Flux variables the arbitraries write themselves (settings bring their own). */
export const FLUX_TEST_VALUES: Record<string, string> = {
  CNPG_POSTGRES_VERSION: '16.8',
  CNPG_DATA_SIZE: '80Gi',
  CNPG_STORAGE_CLASS: 'openebs-local-nvme',
};

// ---------------------------------------------------------------------------------------------
// The cluster
// ---------------------------------------------------------------------------------------------

export type ImagePlan =
  | { kind: 'version'; version: string }
  | { kind: 'image'; imageName: string; majorVersion?: number };

export const imagePlan: fc.Arbitrary<ImagePlan> = fc.oneof(
  fc.tuple(fc.integer({ min: 13, max: 18 }), fc.integer({ min: 0, max: 30 })).map(([a, b]) => ({ kind: 'version' as const, version: `${a}.${b}` })),
  fc.tuple(subdomain, fc.integer({ min: 13, max: 18 }), fc.integer({ min: 0, max: 30 }), fc.constantFrom('', '-bookworm', '-standard-trixie'))
    .map(([registry, a, b, suffix]) => ({ kind: 'image' as const, imageName: `${registry}/cnpg/postgresql:${a}.${b}${suffix}` })),
  fc.tuple(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 64, maxLength: 64 }), fc.integer({ min: 13, max: 18 }))
    // A tag with the digest: the webhook refuses a digest alone ("can't detect upgrades").
    .map(([digest, major]) => ({ kind: 'image' as const, imageName: `ghcr.io/cloudnative-pg/postgresql:${major}.4@sha256:${digest}`, majorVersion: major })),
  fluxVar('CNPG_POSTGRES_VERSION').map((v) => ({ kind: 'version' as const, version: v })),
);

export const quantity = fc.oneof(
  fc.integer({ min: 1, max: 16384 }).map((n) => `${n}Gi`),
  // At least 64Mi: a smaller data or WAL volume is refused as implausible (a missing unit).
  fc.integer({ min: 64, max: 1_000_000 }).map((n) => `${n}Mi`),
  fc.integer({ min: 1, max: 64 }).map((n) => `${n}Ti`),
  fc.tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom('Ti', 'Gi', 'T', 'G')).map(([a, b, u]) => `${a}.${b}${u}`),
  fc.integer({ min: 1, max: 5000 }).map((n) => `${n}G`),
  fluxVar('CNPG_DATA_SIZE'),
);
export const storageClass = fc.oneof(token(LOWER + DIGITS, `-.${LOWER}${DIGITS}`, LOWER + DIGITS, 32).filter((c) => !c.includes('..')), fluxVar('CNPG_STORAGE_CLASS'));

export interface ReplicationPlan {
  readonly method: 'async' | 'any' | 'first';
  readonly number?: number;
  readonly dataDurability?: DataDurability;
  readonly maxStandbyNamesFromCluster?: number;
  readonly standbyNamesPre?: string[];
  readonly standbyNamesPost?: string[];
  readonly failoverQuorum?: boolean;
}

/**
 * Replication valid for `instances` (CNPG: number < instances + |pre| + |post|) on operator
 * release 1.`minor` (failoverQuorum from 1.28).
 */
export function replicationPlan(instances: number, minor: number): fc.Arbitrary<ReplicationPlan> {
  const names = fc.array(dns1123(20), { maxLength: 2 });
  const sync = fc.tuple(fc.constantFrom('any' as const, 'first' as const), fc.option(fc.constantFrom(DataDurability.REQUIRED, DataDurability.PREFERRED), { nil: undefined }), names, names)
    .chain(([method, durability, pre0, post0]) => {
      const pre = durability === DataDurability.PREFERRED ? [] : pre0;
      const post = durability === DataDurability.PREFERRED ? [] : post0;
      const maxNumber = instances - 1 + pre.length + post.length;
      if (maxNumber < 1) return fc.constant<ReplicationPlan>({ method: 'async' });
      return fc.integer({ min: 1, max: Math.min(maxNumber, 10) }).chain((number) => fc.record({
        method: fc.constant(method),
        number: fc.option(fc.constant(number), { nil: undefined, freq: 4 }).map((n) => (number === 1 ? n : number)),
        dataDurability: fc.constant(durability),
        maxStandbyNamesFromCluster: fc.option(fc.integer({ min: Math.max(0, number - pre.length - post.length), max: 100 }), { nil: undefined }),
        standbyNamesPre: fc.constant(pre.length ? pre : undefined),
        standbyNamesPost: fc.constant(post.length ? post : undefined),
        failoverQuorum: minor >= 28 ? fc.option(fc.boolean(), { nil: undefined }) : fc.constant(undefined),
      }));
    });
  return instances === 1
    ? fc.oneof({ weight: 3, arbitrary: fc.constant<ReplicationPlan>({ method: 'async' }) }, { weight: 1, arbitrary: sync })
    : fc.oneof({ weight: 1, arbitrary: fc.constant<ReplicationPlan>({ method: 'async' }) }, { weight: 4, arbitrary: sync });
}

export interface ResourcesPlan {
  readonly cpuRequestMillis?: number;
  readonly cpuLimitMillis?: number;
  readonly memoryRequestMi?: number;
  readonly memoryLimitMi?: number;
}
export const resourcesPlan: fc.Arbitrary<ResourcesPlan | undefined> = fc.option(
  fc.record({
    cpuRequestMillis: fc.option(fc.integer({ min: 50, max: 16000 }), { nil: undefined }),
    cpuExtra: fc.option(fc.integer({ min: 0, max: 8000 }), { nil: undefined }),
    memoryRequestMi: fc.option(fc.integer({ min: 256, max: 65536 }), { nil: undefined }),
    memoryExtra: fc.option(fc.integer({ min: 0, max: 32768 }), { nil: undefined }),
  }).map((r) => ({
    cpuRequestMillis: r.cpuRequestMillis,
    cpuLimitMillis: r.cpuExtra === undefined ? undefined : (r.cpuRequestMillis ?? 0) + r.cpuExtra + 100,
    memoryRequestMi: r.memoryRequestMi,
    memoryLimitMi: r.memoryExtra === undefined ? undefined : (r.memoryRequestMi ?? 0) + r.memoryExtra + 256,
  })),
  { nil: undefined },
);

export interface ParametersPlan {
  readonly maxConnections?: number;
  readonly superuserReservedConnections?: number;
  /** A fraction of the memory request, rendered in MB. */
  readonly sharedBuffersFraction?: number;
  readonly typed: Record<string, number | string>;
  readonly additional?: Record<string, string>;
}
const SAFE_ADDITIONAL: Record<string, fc.Arbitrary<string>> = {
  'log_min_duration_statement': fc.constantFrom('-1', '250ms', '1s', '5000'),
  'log_statement': fc.constantFrom('none', 'ddl', 'mod'),
  'idle_in_transaction_session_timeout': fc.constantFrom('0', '10min', '60000'),
  'statement_timeout': fc.constantFrom('0', '30s'),
  'pg_stat_statements.max': fc.constantFrom('5000', '10000'),
  'auto_explain.log_min_duration': fc.constantFrom('10s'),
  'timezone': fc.constantFrom('UTC', 'Europe/Paris'),
};
export const parametersPlan: fc.Arbitrary<ParametersPlan | undefined> = fc.option(
  fc.record({
    // From 32: below, the default reservedConnections (10) may not fit, a bad input of its own
    // (the "max_connections 12" row of test/gates/bad-input.test.ts).
    maxConnections: fc.option(fc.integer({ min: 32, max: 10000 }), { nil: undefined }),
    reservedFraction: fc.option(fc.double({ min: 0, max: 0.3, noNaN: true }), { nil: undefined }),
    sharedBuffersFraction: fc.option(fc.double({ min: 0.01, max: 1, noNaN: true }), { nil: undefined }),
    typed: fc.record({
      effectiveCacheSize: fc.integer({ min: 1, max: 65536 }).map((n) => `${n}MB`),
      maintenanceWorkMem: fc.constantFrom('64MB', '128MB', '1GB', '65536kB', '2048'),
      workMem: fc.constantFrom('4MB', '16MB', '1GB'),
      walBuffers: fc.constantFrom('16MB', '2048kB'),
      // Always below maxWalSize (CloudNativePG's webhook refuses min >= max).
      minWalSize: fc.constantFrom('80MB', '512MB'),
      maxWalSize: fc.constantFrom('1GB', '8GB', '64GB'),
      walCompression: fc.constantFrom('on', 'off', 'pglz', 'lz4', 'zstd'),
      hugePages: fc.constantFrom('on', 'off', 'try'),
      defaultStatisticsTarget: fc.integer({ min: 1, max: 10000 }),
      randomPageCost: fc.double({ min: 0, max: 100, noNaN: true }).map((x) => Math.round(x * 100) / 100),
      effectiveIoConcurrency: fc.integer({ min: 0, max: 1000 }),
      checkpointCompletionTarget: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => Math.round(x * 100) / 100),
      maxWorkerProcesses: fc.integer({ min: 0, max: 1024 }),
      maxParallelWorkers: fc.integer({ min: 0, max: 1024 }),
      maxParallelWorkersPerGather: fc.integer({ min: 0, max: 1024 }),
      maxParallelMaintenanceWorkers: fc.integer({ min: 0, max: 1024 }),
      autovacuumMaxWorkers: fc.integer({ min: 1, max: 100 }),
      autovacuumVacuumCostLimit: fc.integer({ min: -1, max: 10000 }),
    }, { requiredKeys: [] }),
    additional: fc.option(fc.dictionary(fc.constantFrom(...Object.keys(SAFE_ADDITIONAL)), fc.constant('')), { nil: undefined })
      .chain((d) => (d === undefined ? fc.constant(undefined) : fc.record(Object.fromEntries(Object.keys(d).map((k) => [k, SAFE_ADDITIONAL[k]]))))),
  }).map((p) => ({
    maxConnections: p.maxConnections,
    superuserReservedConnections: p.reservedFraction === undefined ? undefined : Math.floor(p.reservedFraction * ((p.maxConnections ?? 100) - 1)),
    sharedBuffersFraction: p.sharedBuffersFraction,
    typed: p.typed,
    additional: p.additional as Record<string, string> | undefined,
  })),
  { nil: undefined },
);

export type SuperuserPlan = { kind: 'disabled' } | { kind: 'operator' } | { kind: 'store'; path: string; secretName?: string };

export interface TlsPlan {
  readonly minProtocolVersion?: TlsVersion;
  readonly serverSecrets?: { tls: string; ca: string };
  readonly clientCaSecret?: string;
  readonly replicationTlsSecret?: string;
  readonly serverAltDnsNames?: string[];
}
export const tlsPlan: fc.Arbitrary<TlsPlan | undefined> = fc.option(fc.record({
  minProtocolVersion: fc.constantFrom(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3),
  serverSecrets: fc.record({ tls: dns1123(30), ca: dns1123(30) }),
  clientCaSecret: dns1123(30),
  replicationTlsSecret: dns1123(30),
  serverAltDnsNames: fc.array(subdomain, { minLength: 1, maxLength: 3 }),
}, { requiredKeys: [] }), { nil: undefined });

/** Settings keys, generated consistently with the explicit props. */
export interface SettingsPlan {
  readonly mode: SettingsMode;
  readonly data: Record<string, string>;
}

export interface ClusterPlan {
  readonly id: string;
  /** The operator release, 1.<minor>. */
  readonly operatorMinor?: number;
  readonly clusterName?: string;
  readonly namespace?: string;
  readonly createNamespace?: boolean;
  readonly instances: number;
  readonly image?: ImagePlan;
  readonly storage?: { size?: string; storageClass?: string };
  readonly walStorage?: { size: string; storageClass?: string };
  readonly resources?: ResourcesPlan;
  readonly antiAffinity?: PodAntiAffinity;
  readonly zoneSpread?: ZoneSpread;
  readonly enablePodDisruptionBudget?: boolean;
  readonly replication: ReplicationPlan;
  readonly tls?: TlsPlan;
  readonly superuser: SuperuserPlan;
  readonly secretStore?: { name: string; kind?: SecretStoreKind; refreshMinutes?: number };
  readonly parameters?: ParametersPlan;
  readonly clusterDomain?: string;
  readonly labels?: Record<string, string>;
  readonly monitoringLabels?: Record<string, string>;
  readonly settings?: SettingsPlan;
}

export const clusterPlan: fc.Arbitrary<ClusterPlan> = fc.integer({ min: 1, max: 9 })
  .chain((small) => fc.oneof({ weight: 9, arbitrary: fc.constant(small) }, { weight: 1, arbitrary: fc.integer({ min: 10, max: 100 }) }))
  .chain((instances) => fc.tuple(fc.constant(instances), fc.option(fc.integer({ min: 27, max: 30 }), { nil: undefined })))
  .chain(([instances, operatorMinor]) => fc.record({
    id: dns1035(20),
    operatorMinor: fc.constant(operatorMinor),
    clusterName: fc.option(dns1035(50), { nil: undefined }),
    namespace: fc.option(dns1123(63).filter((n) => n !== 'cnpg-system'), { nil: undefined }),
    createNamespace: fc.option(fc.boolean(), { nil: undefined }),
    instances: fc.constant(instances),
    image: fc.option(imagePlan, { nil: undefined }),
    storage: fc.option(fc.record({ size: quantity, storageClass }, { requiredKeys: [] }), { nil: undefined }),
    walStorage: fc.option(fc.record({ size: quantity, storageClass: fc.option(storageClass, { nil: undefined }) }), { nil: undefined }),
    resources: resourcesPlan,
    antiAffinity: fc.option(fc.constantFrom(PodAntiAffinity.REQUIRED, PodAntiAffinity.PREFERRED), { nil: undefined }),
    zoneSpread: fc.option(fc.constantFrom(ZoneSpread.NONE, ZoneSpread.PREFERRED, ZoneSpread.REQUIRED), { nil: undefined }),
    enablePodDisruptionBudget: fc.option(fc.boolean(), { nil: undefined }),
    replication: replicationPlan(instances, operatorMinor ?? 27),
    tls: tlsPlan,
    superuser: fc.oneof(
      fc.constant<SuperuserPlan>({ kind: 'disabled' }),
      fc.constant<SuperuserPlan>({ kind: 'operator' }),
      fc.record({ kind: fc.constant('store' as const), path: secretPath, secretName: fc.option(dns1123(40), { nil: undefined }) }),
    ),
    secretStore: fc.option(fc.record({
      name: subdomain,
      kind: fc.option(fc.constantFrom(SecretStoreKind.CLUSTER_SECRET_STORE, SecretStoreKind.SECRET_STORE), { nil: undefined }),
      refreshMinutes: fc.option(fc.integer({ min: 1, max: 1440 }), { nil: undefined }),
    }), { nil: undefined }),
    parameters: parametersPlan,
    clusterDomain: fc.option(subdomain, { nil: undefined }),
    labels: fc.option(labels, { nil: undefined }),
    monitoringLabels: fc.option(labels, { nil: undefined }),
    settings: fc.option(settingsPlan, { nil: undefined }),
  }))
  // A superuser from the store needs a store (otherwise it is a bad input, tested elsewhere).
  .map((p) => (p.superuser.kind === 'store' && !p.secretStore && !p.settings?.data.EXTERNAL_SECRET_STORE ? { ...p, secretStore: { name: 'onepassword' } } : p));

/**
 * A cluster-settings ConfigMap with a random subset of the CNPG keys. Replication and instances
 * always come from the props in the plans (settings would otherwise have to agree with them), so
 * the settings carry names, sizes, image, store and pooler replicas.
 */
export const settingsPlan: fc.Arbitrary<SettingsPlan> = fc.record({
  mode: fc.constantFrom(SettingsMode.VALUES, SettingsMode.FLUX_VARIABLES),
  data: fc.record({
    CNPG_SHARED_CLUSTER_NAME: plainWord(dns1035(50)),
    CNPG_POSTGRES_VERSION: fc.tuple(fc.integer({ min: 13, max: 18 }), fc.integer({ min: 0, max: 30 })).map(([a, b]) => `${a}.${b}`),
    // Starts with a letter: Flux substitutes text, so an all-digit class would become a YAML
    // number, which ClusterSettings rejects in Flux mode (test/gates/counterexamples.test.ts).
    // Nor a word YAML 1.1 reads as a boolean or null (`n`, `no`, `on`, `y`, ...), which Flux's
    // substitution would turn into one (ClusterSettings refuses them in Flux mode).
    CNPG_STORAGE_CLASS: plainWord(dns1035(22)),
    CNPG_DATA_SIZE: fc.integer({ min: 1, max: 1000 }).map((n) => `${n}Gi`),
    CNPG_WAL_SIZE: fc.integer({ min: 1, max: 200 }).map((n) => `${n}Gi`),
    EXTERNAL_SECRET_STORE: plainWord(fc.tuple(dns1035(1), subdomain).map(([a, b]) => a + b)),
    CNPG_POOLER_REPLICAS: fc.integer({ min: 1, max: 9 }).map(String),
  }, { requiredKeys: [] }).map((d) => d as Record<string, string>),
});

// ---------------------------------------------------------------------------------------------
// Plan -> constructs
// ---------------------------------------------------------------------------------------------

export function imageOf(p: ImagePlan): PostgresImage {
  return p.kind === 'version' ? PostgresImage.version(p.version) : PostgresImage.fromImageName(p.imageName, p.majorVersion);
}

export function replicationOf(r: ReplicationPlan, instances: number): SynchronousReplication {
  if (r.method === 'async') return SynchronousReplication.asynchronous();
  // With dataDurability required and no standby to spare, every standby restart blocks writes:
  // the library refuses it unless acknowledged (a deliberate choice of a valid configuration).
  const eligible = Math.min(instances - 1, r.maxStandbyNamesFromCluster ?? Infinity);
  const noSpare = (r.dataDurability ?? DataDurability.REQUIRED) === DataDurability.REQUIRED
    && !r.standbyNamesPre?.length && !r.standbyNamesPost?.length && eligible - (r.number ?? 1) < 1;
  const o = {
    number: r.number,
    dataDurability: r.dataDurability,
    maxStandbyNamesFromCluster: r.maxStandbyNamesFromCluster,
    standbyNamesPre: r.standbyNamesPre,
    standbyNamesPost: r.standbyNamesPost,
    failoverQuorum: r.failoverQuorum,
    acceptBlockedWrites: noSpare ? true : undefined,
  };
  return r.method === 'any' ? SynchronousReplication.any(o) : SynchronousReplication.first(o);
}

/** The WAL volume of a plan in bytes, when known at synth (props or settings, not a Flux variable). */
function walVolumeBytes(p: ClusterPlan): number | undefined {
  const size = p.walStorage?.size ?? p.settings?.data.CNPG_WAL_SIZE;
  if (size === undefined || size.includes('${')) return undefined;
  return Quantity.of(size).toNumber();
}

/** min/max_wal_size as the webhook accepts them: each below the WAL volume (else left unset). */
function walSizesBelow(volume: number | undefined, min?: string, max?: string): { minWalSize?: string; maxWalSize?: string } {
  const bytes = (v: string) => Number(/^\d+/.exec(v)![0]) * (v.endsWith('GB') ? 1024 ** 3 : 1024 ** 2);
  const fits = (v: string | undefined) => v !== undefined && (volume === undefined || bytes(v) < volume);
  // max_wal_size unset means its default (1GB), which must stay above min_wal_size too.
  const maxOut = fits(max) ? max : undefined;
  const minOut = fits(min) && (maxOut !== undefined || bytes(min!) < 1024 ** 3) ? min : undefined;
  return { minWalSize: minOut, maxWalSize: maxOut };
}

/** The props of a cluster plan. */
export function clusterProps(p: ClusterPlan): CnpgSharedClusterProps {
  const memoryRequestMi = p.resources ? p.resources.memoryRequestMi : 1024;
  const params = p.parameters;
  return {
    settings: p.settings ? ClusterSettings.fromData(p.settings.data, { mode: p.settings.mode }) : undefined,
    operatorVersion: p.operatorMinor !== undefined ? CnpgVersion.of(`1.${p.operatorMinor}`) : undefined,
    clusterName: p.clusterName,
    namespace: p.namespace,
    createNamespace: p.createNamespace,
    instances: p.instances,
    postgres: p.image ? imageOf(p.image) : undefined,
    storage: p.storage ? { size: p.storage.size ? Quantity.of(p.storage.size) : undefined, storageClass: p.storage.storageClass } : undefined,
    walStorage: p.walStorage ? { size: Quantity.of(p.walStorage.size), storageClass: p.walStorage.storageClass } : undefined,
    resources: p.resources ? {
      cpuRequest: p.resources.cpuRequestMillis !== undefined ? Quantity.millicores(p.resources.cpuRequestMillis) : undefined,
      cpuLimit: p.resources.cpuLimitMillis !== undefined ? Quantity.millicores(p.resources.cpuLimitMillis) : undefined,
      memoryRequest: p.resources.memoryRequestMi !== undefined ? Quantity.mebibytes(p.resources.memoryRequestMi) : undefined,
      memoryLimit: p.resources.memoryLimitMi !== undefined ? Quantity.mebibytes(p.resources.memoryLimitMi) : undefined,
    } : undefined,
    antiAffinity: p.antiAffinity,
    zoneSpread: p.zoneSpread,
    enablePodDisruptionBudget: p.enablePodDisruptionBudget,
    replication: replicationOf(p.replication, p.instances),
    tls: p.tls ? {
      minProtocolVersion: p.tls.minProtocolVersion,
      serverTlsSecret: p.tls.serverSecrets?.tls,
      serverCaSecret: p.tls.serverSecrets?.ca,
      clientCaSecret: p.tls.clientCaSecret,
      replicationTlsSecret: p.tls.replicationTlsSecret,
      // Alt names only for operator-issued certificates (the webhook refuses them with a server certificate).
      serverAltDnsNames: p.tls.serverSecrets ? undefined : p.tls.serverAltDnsNames,
      // A replication certificate needs the client CA (validateCerts).
      ...(p.tls.replicationTlsSecret && !p.tls.clientCaSecret ? { replicationTlsSecret: undefined } : {}),
    } : undefined,
    superuserAccess: p.superuser.kind === 'disabled' ? SuperuserAccess.disabled()
      : p.superuser.kind === 'operator' ? SuperuserAccess.operatorGenerated()
        : SuperuserAccess.fromSecretStore(p.superuser.path, p.superuser.secretName),
    secretStore: p.secretStore ? {
      name: p.secretStore.name,
      kind: p.secretStore.kind,
      refreshInterval: p.secretStore.refreshMinutes !== undefined ? Duration.minutes(p.secretStore.refreshMinutes) : undefined,
    } : undefined,
    parameters: params ? {
      ...params.typed,
      ...walSizesBelow(walVolumeBytes(p), params.typed.minWalSize as string | undefined, params.typed.maxWalSize as string | undefined),
      maxConnections: params.maxConnections,
      superuserReservedConnections: params.superuserReservedConnections,
      sharedBuffers: params.sharedBuffersFraction !== undefined && memoryRequestMi !== undefined
        ? `${Math.max(1, Math.floor(memoryRequestMi * params.sharedBuffersFraction))}MB` : undefined,
      additional: params.additional,
    } : undefined,
    clusterDomain: p.clusterDomain,
    labels: p.labels,
    monitoringLabels: p.monitoringLabels,
  };
}

// ---------------------------------------------------------------------------------------------
// Backups (ClusterBackup through cluster.addBackup)
// ---------------------------------------------------------------------------------------------

export interface BackupPlan {
  readonly method?: BackupMethod;
  readonly bucket: string;
  readonly endpointUrl?: string;
  readonly credentials: { kind: 'store'; path: string } | { kind: 'secret'; name: string };
  readonly dataCompression?: BackupCompression;
  readonly walCompression?: BackupCompression;
  readonly encryption?: ServerSideEncryption;
  readonly parallelism?: number;
  readonly walMaxParallel?: number;
  readonly immediateCheckpoint?: boolean;
  readonly retention?: { unit: 'days' | 'weeks' | 'months'; n: number };
  readonly schedule?: { hour: number; minute: number } | { expression: string };
  readonly target?: BackupTarget;
  readonly immediate?: boolean;
  readonly suspend?: boolean;
  readonly backupWindowMinutes?: number;
  readonly validation?: boolean;
  readonly restoreProbe?: boolean;
}

export const backupPlan: fc.Arbitrary<BackupPlan> = fc.record({
  method: fc.option(fc.constantFrom(...Object.values(BackupMethod)), { nil: undefined }),
  bucket: token(LOWER + DIGITS, `-${LOWER}${DIGITS}`, LOWER + DIGITS, 30).filter((b) => b.length >= 3),
  endpointUrl: fc.option(fc.tuple(fc.constantFrom('http', 'https'), fc.array(dns1035(12), { minLength: 1, maxLength: 3 }).map((l) => l.join('.')), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
    .map(([s, h, p]) => `${s}://${h}${p ? `:${p}` : ''}`), { nil: undefined }),
  credentials: fc.oneof(
    secretPath.map((path) => ({ kind: 'store' as const, path })),
    dns1123(40).map((name) => ({ kind: 'secret' as const, name })),
  ),
  // Data compression: what every barman-cloud image can do (lz4/xz/zstd need newer images).
  dataCompression: fc.option(fc.constantFrom(BackupCompression.GZIP, BackupCompression.BZIP2, BackupCompression.SNAPPY, BackupCompression.NONE),
    { nil: undefined }),
  walCompression: fc.option(fc.constantFrom(...Object.values(BackupCompression)), { nil: undefined }),
  encryption: fc.option(fc.constantFrom(...Object.values(ServerSideEncryption)), { nil: undefined }),
  parallelism: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
  walMaxParallel: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
  immediateCheckpoint: fc.option(fc.boolean(), { nil: undefined }),
  retention: fc.option(fc.oneof(
    fc.integer({ min: 1, max: 365 }).map((n) => ({ unit: 'days' as const, n })),
    fc.integer({ min: 1, max: 52 }).map((n) => ({ unit: 'weeks' as const, n })),
    fc.integer({ min: 1, max: 24 }).map((n) => ({ unit: 'months' as const, n })),
  ), { nil: undefined }),
  schedule: fc.option(fc.oneof(
    fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) }),
    fc.tuple(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 23 }))
      .map(([s, m, h]) => ({ expression: `${s} ${m} ${h} * * *` })),
  ), { nil: undefined }),
  target: fc.option(fc.constantFrom(...Object.values(BackupTarget)), { nil: undefined }),
  immediate: fc.option(fc.boolean(), { nil: undefined }),
  suspend: fc.option(fc.boolean(), { nil: undefined }),
  backupWindowMinutes: fc.option(fc.integer({ min: 15, max: 360 }), { nil: undefined }),
  validation: fc.option(fc.boolean(), { nil: undefined }),
  restoreProbe: fc.option(fc.boolean(), { nil: undefined }),
});

export function backupOptions(b: BackupPlan): ClusterBackupOptions {
  return {
    method: b.method,
    bucket: b.bucket,
    endpointUrl: b.endpointUrl,
    credentials: b.credentials.kind === 'store' ? BackupCredentials.fromSecretStore(b.credentials.path) : BackupCredentials.fromSecret(b.credentials.name),
    dataCompression: b.dataCompression,
    walCompression: b.walCompression,
    encryption: b.encryption,
    parallelism: b.parallelism,
    walMaxParallel: b.walMaxParallel,
    immediateCheckpoint: b.immediateCheckpoint,
    retention: b.retention ? BackupRetention[b.retention.unit](b.retention.n) : undefined,
    schedule: b.schedule === undefined ? undefined
      : 'expression' in b.schedule ? BackupSchedule.expression(b.schedule.expression) : BackupSchedule.dailyAt(b.schedule.hour, b.schedule.minute),
    target: b.target,
    immediate: b.immediate,
    suspend: b.suspend,
    backupWindow: b.backupWindowMinutes !== undefined ? Duration.minutes(b.backupWindowMinutes) : undefined,
    validation: b.validation === undefined ? undefined : { enabled: b.validation },
    restoreProbe: b.restoreProbe === undefined ? undefined : { enabled: b.restoreProbe },
  };
}

// ---------------------------------------------------------------------------------------------
// Applications and their poolers (cluster.addApplication)
// ---------------------------------------------------------------------------------------------

export const PROFILES: Record<string, ApplicationProfile> = {
  keycloak: ApplicationProfile.KEYCLOAK,
  harbor: ApplicationProfile.HARBOR,
  gitlab: ApplicationProfile.GITLAB,
  synergyflow: ApplicationProfile.SYNERGYFLOW,
  generic: ApplicationProfile.GENERIC,
};

export interface ApplicationPlan {
  readonly name: string;
  readonly profile?: string;
  readonly customProfile?: { poolMode: PoolMode; defaultPoolSize: number };
  readonly instances: number;
  readonly acceptReducedAvailability?: boolean;
  readonly maxDbConnections: number;
  readonly antiAffinity?: PodAntiAffinity;
  readonly zoneSpread?: ZoneSpread;
  readonly readOnlyPooler?: boolean;
  readonly credentialsPath: string;
  readonly clientNamespaces?: string[];
  readonly scraperNamespaces?: string[];
  readonly networkPolicy?: boolean;
}

export const applicationPlan: fc.Arbitrary<ApplicationPlan> = fc.integer({ min: 1, max: 6 }).chain((instances) => fc.record({
  // Not `pg-...`: the role would be `pg_...`, which PostgreSQL reserves (the library refuses it).
  name: dns1035(20).filter((n) => !n.startsWith('pg-') && n !== 'postgres'),
  profile: fc.option(fc.constantFrom(...Object.keys(PROFILES)), { nil: undefined }),
  customProfile: fc.option(fc.record({
    poolMode: fc.constantFrom(PoolMode.SESSION, PoolMode.TRANSACTION),
    defaultPoolSize: fc.integer({ min: 1, max: 50 }),
  }), { nil: undefined, freq: 8 }),
  instances: fc.constant(instances),
  acceptReducedAvailability: instances < 3 ? fc.constant(true) : fc.option(fc.boolean(), { nil: undefined }),
  maxDbConnections: fc.integer({ min: 1, max: 40 }),
  antiAffinity: fc.option(fc.constantFrom(PodAntiAffinity.REQUIRED, PodAntiAffinity.PREFERRED), { nil: undefined }),
  zoneSpread: fc.option(fc.constantFrom(ZoneSpread.NONE, ZoneSpread.PREFERRED, ZoneSpread.REQUIRED), { nil: undefined }),
  readOnlyPooler: fc.option(fc.boolean(), { nil: undefined }),
  credentialsPath: secretPath,
  clientNamespaces: fc.option(fc.array(dns1123(30), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  scraperNamespaces: fc.option(fc.array(dns1123(30), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  networkPolicy: fc.option(fc.boolean(), { nil: undefined }),
}));

/** Server connections one replica of an application's pooler can open, at most (max_db_connections + the auth query). */
export const perReplicaBound = (a: ApplicationPlan) => a.maxDbConnections + 1;

export function applicationProps(a: ApplicationPlan): ApplicationProps {
  const profile = a.customProfile
    ? ApplicationProfile.custom({
      name: 'custom',
      poolMode: a.customProfile.poolMode,
      preparedStatements: PreparedStatementUse.PROTOCOL_LEVEL,
      poolerParameters: { defaultPoolSize: a.customProfile.defaultPoolSize },
    })
    : a.profile ? PROFILES[a.profile] : undefined;
  return {
    profile,
    pooler: {
      instances: a.instances,
      acceptReducedAvailability: a.acceptReducedAvailability,
      parameters: { maxDbConnections: a.maxDbConnections },
      antiAffinity: a.antiAffinity,
      zoneSpread: a.zoneSpread,
    },
    readOnlyPooler: a.readOnlyPooler,
    credentials: { remoteKey: a.credentialsPath },
    clientNamespaces: a.clientNamespaces,
    scraperNamespaces: a.scraperNamespaces,
    networkPolicy: a.networkPolicy,
  };
}

// ---------------------------------------------------------------------------------------------
// The whole platform: a cluster, maybe a backup, any number of applications
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Monitoring (cluster.addMonitoring)
// ---------------------------------------------------------------------------------------------

export interface MonitoringPlan {
  readonly podMonitor?: boolean;
  readonly scrapeIntervalSeconds?: number;
  readonly alerts?: { enabled?: boolean; runbookBaseUrl?: string; labels?: Record<string, string> };
  readonly dashboards?: { enabled?: boolean; poolers?: boolean; namespace?: string; folder?: string };
}

export const monitoringPlan: fc.Arbitrary<MonitoringPlan> = fc.record({
  podMonitor: fc.option(fc.boolean(), { nil: undefined }),
  scrapeIntervalSeconds: fc.option(fc.integer({ min: 5, max: 300 }), { nil: undefined }),
  alerts: fc.option(fc.record({
    enabled: fc.option(fc.boolean(), { nil: undefined }),
    runbookBaseUrl: fc.option(fc.array(dns1035(12), { minLength: 1, maxLength: 3 }).map((l) => `https://${l.join('.')}/runbooks`), { nil: undefined }),
    labels: fc.option(fc.dictionary(token(`${LOWER}_`, `${LOWER}${DIGITS}_`, LOWER + DIGITS, 15).filter((k) => !k.startsWith('__')),
      token(LOWER, `${LOWER}${DIGITS}- `, LOWER, 20), { maxKeys: 3 }), { nil: undefined }),
  }, { requiredKeys: [] }), { nil: undefined }),
  dashboards: fc.option(fc.record({
    enabled: fc.option(fc.boolean(), { nil: undefined }),
    poolers: fc.option(fc.boolean(), { nil: undefined }),
    namespace: fc.option(dns1123(30), { nil: undefined }),
    folder: fc.option(fc.constantFrom('Databases', 'CloudNativePG', 'platform/db'), { nil: undefined }),
  }, { requiredKeys: [] }), { nil: undefined }),
}, { requiredKeys: [] })
  // A scrape interval without the PodMonitor is a bad input (rejected at synth).
  .map((m) => (m.podMonitor === false ? { ...m, scrapeIntervalSeconds: undefined } : m));

export function monitoringOptions(m: MonitoringPlan): CnpgMonitoringOptions {
  return {
    podMonitor: m.podMonitor,
    scrapeInterval: m.scrapeIntervalSeconds !== undefined ? Duration.seconds(m.scrapeIntervalSeconds) : undefined,
    alerts: m.alerts,
    dashboards: m.dashboards,
  };
}

export interface PlatformPlan {
  readonly cluster: ClusterPlan;
  readonly backup?: BackupPlan;
  readonly applications: ApplicationPlan[];
  readonly monitoring?: MonitoringPlan;
}

export const platformPlan: fc.Arbitrary<PlatformPlan> = fc.record({
  cluster: clusterPlan,
  backup: fc.option(backupPlan, { nil: undefined }),
  applications: fc.uniqueArray(applicationPlan, { maxLength: 4, selector: (a) => a.name }),
  monitoring: fc.option(monitoringPlan, { nil: undefined }),
}).map((p) => {
  // Things a valid configuration needs, derived rather than filtered (filtering would starve
  // the generator): a secret store for credentials from the store, a read-only pooler only with
  // standbys, and max_connections large enough for every pooler (the budget gate has its own
  // bad-input rows).
  const needsStore = p.applications.length > 0 || p.backup?.credentials.kind === 'store';
  let cluster = needsStore && !p.cluster.secretStore && !p.cluster.settings?.data.EXTERNAL_SECRET_STORE
    ? { ...p.cluster, secretStore: { name: 'onepassword' } } : p.cluster;
  const applications = p.applications.map((a) => (cluster.instances < 2 && a.readOnlyPooler ? { ...a, readOnlyPooler: false } : a));
  const primary = applications.reduce((s, a) => s + a.instances * perReplicaBound(a), 0);
  const standby = applications.filter((a) => a.readOnlyPooler).reduce((s, a) => s + a.instances * perReplicaBound(a), 0);
  const demand = Math.max(primary, standby);
  if (demand > 0) {
    const reservedFraction = 0.3;
    const needed = Math.ceil((demand + 10 + 2) / (1 - reservedFraction)) + 1;
    const params = cluster.parameters ?? { typed: {} };
    if ((params.maxConnections ?? 100) < needed) cluster = { ...cluster, parameters: { ...params, maxConnections: needed } };
  }
  return { ...p, cluster, applications };
});
