/**
 * Fuzz-style inputs for the bad-input gate: hostile values in every slot of the props, and the
 * judgement of an outcome (valid YAML, or an error of the library's shape).
 *
 * Each slot gets hostile values OF ITS DECLARED KIND, plus null/undefined anywhere: NaN,
 * ±Infinity, negative, fractional and huge numbers; empty, blank, control-character, unicode,
 * emoji, Flux-looking and 300-character strings; arrays and maps of those. A value of another
 * kind (a number where a string or a Quantity is declared) is a compile error in TypeScript and
 * is rejected by jsii's runtime type checks in Python, Java and Go before the library runs, so
 * the fuzz does not put one there, nor a non-member in an enum slot, nor a null element in an
 * array; null and undefined in any slot do reach the library.
 */
import { App, Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { unacceptableError } from './errors';
import { synth } from './synth';
import {
  ApplicationProfile, BackupCompression, BackupCredentials, BackupMethod, BackupRetention, BackupSchedule, DataDurability,
  PodAntiAffinity, PoolMode, PostgresImage, PreparedStatementUse, Quantity, SecretStoreKind, SuperuserAccess, SynchronousReplication,
  TlsVersion, ZoneSpread,
} from '../../src';

export const nullish = fc.constantFrom(null, undefined);

/**
 * A factory's result for hostile arguments: the factories check their arguments themselves now
 * (null, NaN, a wrong type), so a refused one leaves the slot unset; a refusal that is not the
 * library's error (a TypeError) still fails the fuzz.
 */
function made<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch (e) {
    const bad = unacceptableError(e);
    if (bad) throw new Error(bad);
    return undefined;
  }
}

/** Hostile numbers: NaN, infinities, negative, fractional, huge. */
export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  nullish,
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, -0, 0.5, 1e308, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, Number.MIN_VALUE),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double(),
);

/** Hostile strings: empty, blank, control characters, unicode, emoji, Flux-looking, long. */
export const hostileString: fc.Arbitrary<unknown> = fc.oneof(
  nullish,
  fc.constantFrom('', ' ', '\t', '\n', '\u0000', 'ü', 'Ω-db', '😀', '${', '${X', '$(X)', 'a'.repeat(300), '-', '.', '..', 'a..b', 'A', 'null', '0', 'true', '-1', '1e3', 'a b', 'a/b', '"q"', "'", '\\'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

export const hostileBoolean: fc.Arbitrary<unknown> = fc.oneof(nullish, fc.boolean());
/** Elements of arrays and maps: strings (jsii rejects a null element in every language). */
const hostileElement = hostileString.filter((v) => v !== null && v !== undefined);
export const hostileStrings: fc.Arbitrary<unknown> = fc.oneof(nullish, fc.array(hostileElement, { maxLength: 3 }));
export const hostileMap: fc.Arbitrary<unknown> = fc.oneof(nullish,
  fc.dictionary(fc.string({ maxLength: 8 }), hostileElement, { maxKeys: 3, noNullPrototype: true }));
/** A Quantity slot: absent, or a Quantity of a hostile string. */
const hostileQuantity = fc.oneof(nullish, hostileString.map((v) => made(() => Quantity.of(v as string))));
/**
 * An enum slot: absent or one of its members (jsii's runtime checks reject any other value in
 * Python, Java and Go, and TypeScript does not compile one).
 */
const hostileEnum = (values: string[]) => fc.oneof(nullish, fc.constantFrom(...values));

/** Props where each field is left out, valid, or hostile (nested fields too). */
export const fuzzedClusterProps: fc.Arbitrary<Record<string, unknown>> = fc.record({
  clusterName: fc.oneof(hostileString, fc.constant('pg')),
  namespace: fc.oneof(hostileString, fc.constant('data')),
  createNamespace: hostileBoolean,
  instances: fc.oneof(hostileNumber, fc.integer({ min: 1, max: 5 })),
  storage: fc.oneof(nullish, fc.record({ size: hostileQuantity, storageClass: hostileString }, { requiredKeys: [] })),
  walStorage: fc.oneof(nullish, fc.record({ size: hostileQuantity, storageClass: hostileString }, { requiredKeys: [] })),
  antiAffinity: hostileEnum(Object.values(PodAntiAffinity)),
  zoneSpread: hostileEnum(Object.values(ZoneSpread)),
  enablePodDisruptionBudget: hostileBoolean,
  replication: fc.oneof(nullish, fc.record({
    number: hostileNumber,
    dataDurability: hostileEnum(Object.values(DataDurability)),
    maxStandbyNamesFromCluster: hostileNumber,
    standbyNamesPre: hostileStrings,
    standbyNamesPost: hostileStrings,
    failoverQuorum: hostileBoolean,
  }, { requiredKeys: [] }).chain((o) => fc.constantFrom(
    made(() => SynchronousReplication.any(o as any)), made(() => SynchronousReplication.first(o as any)), SynchronousReplication.asynchronous()))),
  tls: fc.oneof(nullish, fc.record({
    minProtocolVersion: hostileEnum(Object.values(TlsVersion)),
    serverTlsSecret: hostileString,
    serverCaSecret: hostileString,
    clientCaSecret: hostileString,
    replicationTlsSecret: hostileString,
    serverAltDnsNames: hostileStrings,
  }, { requiredKeys: [] })),
  superuserAccess: fc.oneof(nullish, fc.constant(SuperuserAccess.operatorGenerated()),
    fc.tuple(hostileString, hostileString).map(([k, n]) => made(() => SuperuserAccess.fromSecretStore(k as string, n as string)))),
  secretStore: fc.oneof(nullish, fc.record({
    name: hostileString,
    kind: hostileEnum(Object.values(SecretStoreKind)),
    refreshInterval: fc.oneof(nullish, fc.integer({ min: 0, max: 5 }).map((n) => Duration.seconds(n))),
  }, { requiredKeys: [] })),
  parameters: fc.oneof(nullish, fc.record({
    maxConnections: hostileNumber,
    superuserReservedConnections: hostileNumber,
    sharedBuffers: hostileString,
    effectiveCacheSize: hostileString,
    walCompression: hostileString,
    hugePages: hostileString,
    randomPageCost: hostileNumber,
    checkpointCompletionTarget: hostileNumber,
    maxWorkerProcesses: hostileNumber,
    additional: hostileMap,
  }, { requiredKeys: [] })),
  clusterDomain: hostileString,
  labels: hostileMap,
  monitoringLabels: hostileMap,
  postgres: fc.oneof(nullish,
    hostileString.map((v) => made(() => PostgresImage.version(v as string))),
    hostileString.map((v) => made(() => PostgresImage.fromImageName(v as string)))),
}, { requiredKeys: [] });

/** Builds and synthesizes; returns what went wrong, or undefined when the outcome is acceptable. */
export function fuzzOutcome(build: (c: Construct) => void): string | undefined {
  const c = new Chart(Testing.app(), 'gate');
  try {
    build(c);
    (c.node.root as App).synthYaml();
    synth(c);
    return undefined;
  } catch (e) {
    if ((e as Error).message?.startsWith('synthesized objects fail schema validation')) {
      return `synthesized YAML that the schemas reject: ${(e as Error).message}`;
    }
    return unacceptableError(e);
  }
}

/**
 * A record whose fields are mostly left out and sometimes hostile: with every field hostile at
 * once, the first checked field would reject nearly every input and the later ones would never
 * be reached.
 */
function sparse(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(Object.entries(fields).map(([k, a]) => [k, fc.oneof(
    { weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a })])))
    .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
}

const hostileDuration = fc.oneof(nullish, fc.integer({ min: 0, max: 100_000 }).map((n) => Duration.seconds(n)));

/** Application props (and the pooler's), hostile everywhere. */
export const fuzzedApplicationProps: fc.Arbitrary<Record<string, unknown>> = sparse({
  profile: fc.oneof(nullish, fc.constantFrom(ApplicationProfile.HARBOR, ApplicationProfile.KEYCLOAK, ApplicationProfile.GENERIC)),
  roleName: hostileString,
  databaseName: hostileString,
  connectionLimit: hostileNumber,
  credentials: fc.oneof(nullish, fc.record({
    remoteKey: hostileString, usernameProperty: hostileString, passwordProperty: hostileString, secretName: hostileString,
  }, { requiredKeys: [] })),
  poolMode: fc.oneof(nullish, fc.constantFrom(...Object.values(PoolMode))),
  preparedStatements: fc.oneof(nullish, fc.constantFrom(...Object.values(PreparedStatementUse))),
  overrideSessionRequirement: hostileBoolean,
  readOnlyPooler: hostileBoolean,
  clientNamespaces: hostileStrings,
  scraperNamespaces: hostileStrings,
  networkPolicy: hostileBoolean,
  apiServerCidrs: hostileStrings,
  pooler: fc.oneof(nullish, sparse({
    instances: hostileNumber,
    acceptReducedAvailability: hostileBoolean,
    antiAffinity: hostileEnum(Object.values(PodAntiAffinity)),
    zoneSpread: hostileEnum(Object.values(ZoneSpread)),
    parameters: fc.oneof(nullish, sparse({
      maxClientConnections: hostileNumber,
      defaultPoolSize: hostileNumber,
      minPoolSize: hostileNumber,
      reservePoolSize: hostileNumber,
      maxDbConnections: hostileNumber,
      maxUserConnections: hostileNumber,
      maxPreparedStatements: hostileNumber,
      queryWaitTimeout: hostileDuration,
      serverResetQuery: hostileString,
      ignoreStartupParameters: hostileStrings,
    })),
    additionalParameters: hostileMap,
    image: hostileString,
    clientTlsSecret: hostileString,
    paused: hostileBoolean,
    scrapeInterval: hostileDuration,
  })),
});

/** Backup options, hostile everywhere. */
export const fuzzedBackupOptions: fc.Arbitrary<Record<string, unknown>> = sparse({
  method: fc.oneof(nullish, fc.constantFrom(...Object.values(BackupMethod))),
  bucket: hostileString,
  destinationPath: hostileString,
  serverName: hostileString,
  endpointUrl: hostileString,
  credentials: fc.oneof(nullish,
    hostileString.map((v) => made(() => BackupCredentials.fromSecretStore(v as string))),
    hostileString.map((v) => made(() => BackupCredentials.fromSecret(v as string)))),
  dataCompression: fc.oneof(nullish, fc.constantFrom(...Object.values(BackupCompression))),
  walCompression: fc.oneof(nullish, fc.constantFrom(...Object.values(BackupCompression))),
  parallelism: hostileNumber,
  walMaxParallel: hostileNumber,
  retention: fc.oneof(nullish,
    hostileNumber.map((n) => made(() => BackupRetention.days(n as number))),
    hostileString.map((v) => made(() => BackupRetention.of(v as string)))),
  schedule: fc.oneof(nullish, hostileString.map((v) => made(() => BackupSchedule.expression(v as string))),
    fc.tuple(hostileNumber, hostileNumber).map(([h, m]) => made(() => BackupSchedule.dailyAt(h as number, m as number)))),
  backupWindow: hostileDuration,
  validation: fc.oneof(nullish, fc.record({
    enabled: hostileBoolean, image: hostileString, runAsUser: hostileNumber, maxBaseBackupAge: hostileDuration,
  }, { requiredKeys: [] })),
  restoreProbe: fc.oneof(nullish, fc.record({ enabled: hostileBoolean, clusterName: hostileString }, { requiredKeys: [] })),
});
