import { IConstruct } from 'constructs';
import { CnpgVersion } from './cnpg-version';
import { invalidInput } from '../common/errors';

/**
 * A field of the CNPG CRDs that not every supported release has.
 * @internal
 */
export interface CnpgField {
  /** Kind and path in the CRD, e.g. `Pooler spec.pgbouncer.clientTLSSecret`. */
  readonly path: string;
  /** The first supported release whose CRD has the field. */
  readonly since: CnpgVersion;
  /** The kind whose spec has the field (for `checkSpecFields`). */
  readonly kind?: string;
  /** The field's paths in that kind's spec, `.`-separated, `[]` for every item of a list. */
  readonly fields?: string[];
  /** Only this value of the field is new (an enum value), not the field itself. */
  readonly value?: string;
}

/**
 * The fields (and kinds) of CNPG 1.30.0's CRDs that 1.27.1's lack, as far as this library writes
 * them or could write them. Computed by diffing `vendor/crds/cnpg-1.27.1` and `cnpg-1.30.0`
 * (see docs/guides/versioning.md for the full diff). `since` is the minor release that brought
 * the field when CNPG's release notes name it (docs/src/release_notes/old/v1.28.md and v1.29.md in
 * cloudnative-pg/cloudnative-pg: 1.28.0 failoverQuorum, Database fdws/servers, the four Pooler TLS
 * Secrets; 1.29.0 podSelectorRefs, serviceAccountName; 1.28.1, a patch, useDefaultAzureCredentials,
 * so 1.29 is the first minor whose every patch has it), and otherwise 1.30, the first release whose
 * CRDs we hold and checked: a conservative bound that never lets a field reach an operator whose
 * CRD may not have it.
 *
 * @internal
 */
export const CNPG_FIELDS = {
  // Cluster
  clusterFailoverQuorum: { path: 'Cluster spec.postgresql.synchronous.failoverQuorum', since: CnpgVersion.V1_28, kind: 'Cluster', fields: ['postgresql.synchronous.failoverQuorum'] },
  clusterPodSecurityContext: { path: 'Cluster spec.podSecurityContext', since: CnpgVersion.V1_30, kind: 'Cluster', fields: ['podSecurityContext'] },
  clusterSecurityContext: { path: 'Cluster spec.securityContext', since: CnpgVersion.V1_30, kind: 'Cluster', fields: ['securityContext'] },
  clusterPrimaryLease: { path: 'Cluster spec.primaryLease', since: CnpgVersion.V1_30, kind: 'Cluster', fields: ['primaryLease'] },
  clusterPodSelectorRefs: { path: 'Cluster spec.podSelectorRefs', since: CnpgVersion.V1_29, kind: 'Cluster', fields: ['podSelectorRefs'] },
  clusterServiceAccountName: { path: 'Cluster spec.serviceAccountName', since: CnpgVersion.V1_29, kind: 'Cluster', fields: ['serviceAccountName'] },
  clusterMetricsQueriesTtl: { path: 'Cluster spec.monitoring.metricsQueriesTTL', since: CnpgVersion.V1_30, kind: 'Cluster', fields: ['monitoring.metricsQueriesTTL'] },
  clusterExtensionBinPathEnv: { path: 'Cluster spec.postgresql.extensions[].bin_path/env (and image no longer required)', since: CnpgVersion.V1_30, kind: 'Cluster', fields: ['postgresql.extensions[].bin_path', 'postgresql.extensions[].env'] },
  barmanLz4Compression: { path: 'Cluster spec.backup.barmanObjectStore.data.compression "lz4"', since: CnpgVersion.V1_30, kind: 'Cluster', fields: ['backup.barmanObjectStore.data.compression', 'externalClusters[].barmanObjectStore.data.compression'], value: 'lz4' },
  barmanAzureDefaultCredentials: { path: 'Cluster spec.backup.barmanObjectStore.azureCredentials.useDefaultAzureCredentials', since: CnpgVersion.V1_29, kind: 'Cluster', fields: ['backup.barmanObjectStore.azureCredentials.useDefaultAzureCredentials', 'externalClusters[].barmanObjectStore.azureCredentials.useDefaultAzureCredentials'] },
  importPgRestoreOptions: { path: 'Cluster spec.bootstrap.initdb.import.pgRestore{Pre,Post,}dataOptions', since: CnpgVersion.V1_30, kind: 'Cluster', fields: ['bootstrap.initdb.import.pgRestoreDataOptions', 'bootstrap.initdb.import.pgRestorePredataOptions', 'bootstrap.initdb.import.pgRestorePostdataOptions'] },
  // Pooler
  poolerClientTls: { path: 'Pooler spec.pgbouncer.clientTLSSecret/clientCASecret', since: CnpgVersion.V1_28, kind: 'Pooler', fields: ['pgbouncer.clientTLSSecret', 'pgbouncer.clientCASecret'] },
  poolerServerTls: { path: 'Pooler spec.pgbouncer.serverTLSSecret/serverCASecret', since: CnpgVersion.V1_28, kind: 'Pooler', fields: ['pgbouncer.serverTLSSecret', 'pgbouncer.serverCASecret'] },
  poolerImage: { path: 'Pooler spec.pgbouncer.image/imageCatalogRef', since: CnpgVersion.V1_30, kind: 'Pooler', fields: ['pgbouncer.image', 'pgbouncer.imageCatalogRef'] },
  poolerMonitoringTls: { path: 'Pooler spec.monitoring.tls', since: CnpgVersion.V1_30, kind: 'Pooler', fields: ['monitoring.tls'] },
  poolerServiceAccountName: { path: 'Pooler spec.serviceAccountName', since: CnpgVersion.V1_29, kind: 'Pooler', fields: ['serviceAccountName'] },
  // Database
  databaseFdws: { path: 'Database spec.fdws', since: CnpgVersion.V1_28, kind: 'Database', fields: ['fdws'] },
  databaseServers: { path: 'Database spec.servers', since: CnpgVersion.V1_28, kind: 'Database', fields: ['servers'] },
  // Kinds
  databaseRoleKind: { path: 'kind DatabaseRole', since: CnpgVersion.V1_30 },
} satisfies Record<string, CnpgField>;

/**
 * Throws the library's error when `current` lacks a field: which construct, which prop, the
 * value, the release that brought the field, and the fix.
 *
 * @param scope the construct whose prop asks for the field
 * @param prop the prop, as the user wrote it (e.g. `replication.failoverQuorum`)
 * @internal
 */
export function requireCnpgVersion(scope: IConstruct | string, current: CnpgVersion, prop: string, value: unknown, field: CnpgField): void {
  if (current.isAtLeast(field.since)) return;
  throw invalidInput(scope, prop, value,
    `needs CloudNativePG ${field.since.version} or newer (${field.path}), but the manifests target operatorVersion ${current.version}, whose CRD does not have it`,
    `upgrade the operator and set operatorVersion: CnpgVersion.V${field.since.version.replace('.', '_')} (or the settings' CNPG_OPERATOR_VERSION), or leave ${prop} unset`);
}

/**
 * Throws when a spec about to be written contains a field its kind's CRD lacks in `current`: the
 * guard behind every gated prop, so that a field of a newer release is never emitted, whichever
 * construct (or hook, such as `_setBackup`) put it there.
 *
 * @param scope the construct that writes the object
 * @param kind `Cluster`, `Pooler` or `Database`
 * @internal
 */
export function checkSpecFields(scope: IConstruct | string, kind: string, spec: unknown, current: CnpgVersion): void {
  for (const field of Object.values(CNPG_FIELDS) as CnpgField[]) {
    if (field.kind !== kind || current.isAtLeast(field.since)) continue;
    for (const p of field.fields ?? []) {
      const found = valuesAt(spec, p.split('.')).filter((v) => field.value === undefined || v === field.value);
      if (found.length) {
        throw invalidInput(scope, `${kind} spec.${p}`, found[0],
          `is not in the CRD of CloudNativePG ${current.version} (${field.path} needs ${field.since.version} or newer)`,
          `set operatorVersion: CnpgVersion.V${field.since.version.replace('.', '_')} (or newer) once the operator runs it, or remove the setting that writes it`);
      }
    }
  }
}

function valuesAt(data: unknown, segments: string[]): unknown[] {
  if (data === undefined || data === null) return [];
  if (!segments.length) return [data];
  const [head, ...rest] = segments;
  const list = head.endsWith('[]');
  const value = (data as Record<string, unknown>)[list ? head.slice(0, -2) : head];
  if (value === undefined || value === null) return [];
  if (list) return Array.isArray(value) ? value.flatMap((item) => valuesAt(item, rest)) : [];
  return valuesAt(value, rest);
}

/**
 * The Barman Cloud plugin release this library writes for (its ObjectStore CRD is
 * vendor/crds/barman-cloud-0.14.0) and the oldest CloudNativePG each plugin release needs, from
 * the plugin's docs: 0.14.0 "The version must be 1.26 or newer"
 * (web/versioned_docs/version-0.14.0/installation.mdx, cloudnative-pg/plugin-barman-cloud; 1.27
 * recommended), 0.16.0 "CloudNativePG version 1.30 or later" (version-0.16.0/intro.md).
 *
 * @internal
 */
export const BARMAN_CLOUD_PLUGIN = {
  name: 'barman-cloud.cloudnative-pg.io',
  version: '0.14.0',
  minimumOperator: { 0.14: [1, 26], 0.16: [1, 30] } as Record<string, [number, number]>,
};

/**
 * Throws when the Barman Cloud plugin release needs a newer operator than `current`.
 * @internal
 */
export function requireBarmanCloudPlugin(scope: IConstruct | string, current: CnpgVersion,
  pluginVersion: string = BARMAN_CLOUD_PLUGIN.version): void {
  const minor = /^v?(\d+\.\d+)/.exec(pluginVersion)?.[1];
  const min = minor ? BARMAN_CLOUD_PLUGIN.minimumOperator[minor] : undefined;
  if (!min) {
    throw invalidInput(scope, 'barmanCloudPlugin.version', pluginVersion, 'is not a Barman Cloud plugin release this library knows',
      `use one of ${Object.keys(BARMAN_CLOUD_PLUGIN.minimumOperator).map((v) => `${v}.x`).join(', ')}`);
  }
  if (current.major > min[0] || (current.major === min[0] && current.minor >= min[1])) return;
  throw invalidInput(scope, 'operatorVersion', current.version,
    `is older than the ${min[0]}.${min[1]} the Barman Cloud plugin ${pluginVersion} requires (plugin docs: requirements)`,
    `upgrade the operator to ${min[0]}.${min[1]} or newer and set operatorVersion accordingly, or use the in-tree barmanObjectStore backup`);
}
