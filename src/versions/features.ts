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
}

/**
 * The fields (and kinds) of CNPG 1.30.0's CRDs that 1.27.1's lack, as far as this library writes
 * them or could write them. Computed by diffing `../shared/crds/cnpg-1.27.1` and `cnpg-1.30.0`
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
  clusterFailoverQuorum: { path: 'Cluster spec.postgresql.synchronous.failoverQuorum', since: CnpgVersion.V1_28 },
  clusterPodSecurityContext: { path: 'Cluster spec.podSecurityContext', since: CnpgVersion.V1_30 },
  clusterSecurityContext: { path: 'Cluster spec.securityContext', since: CnpgVersion.V1_30 },
  clusterPrimaryLease: { path: 'Cluster spec.primaryLease', since: CnpgVersion.V1_30 },
  clusterPodSelectorRefs: { path: 'Cluster spec.podSelectorRefs', since: CnpgVersion.V1_29 },
  clusterServiceAccountName: { path: 'Cluster spec.serviceAccountName', since: CnpgVersion.V1_29 },
  clusterMetricsQueriesTtl: { path: 'Cluster spec.monitoring.metricsQueriesTTL', since: CnpgVersion.V1_30 },
  clusterExtensionBinPathEnv: { path: 'Cluster spec.postgresql.extensions[].bin_path/env (and image no longer required)', since: CnpgVersion.V1_30 },
  barmanLz4Compression: { path: 'Cluster spec.backup.barmanObjectStore.data.compression "lz4"', since: CnpgVersion.V1_30 },
  barmanAzureDefaultCredentials: { path: 'Cluster spec.backup.barmanObjectStore.azureCredentials.useDefaultAzureCredentials', since: CnpgVersion.V1_29 },
  importPgRestoreOptions: { path: 'Cluster spec.bootstrap.initdb.import.pgRestore{Pre,Post,}dataOptions', since: CnpgVersion.V1_30 },
  // Pooler
  poolerClientTls: { path: 'Pooler spec.pgbouncer.clientTLSSecret/clientCASecret', since: CnpgVersion.V1_28 },
  poolerServerTls: { path: 'Pooler spec.pgbouncer.serverTLSSecret/serverCASecret', since: CnpgVersion.V1_28 },
  poolerImage: { path: 'Pooler spec.pgbouncer.image/imageCatalogRef', since: CnpgVersion.V1_30 },
  poolerMonitoringTls: { path: 'Pooler spec.monitoring.tls', since: CnpgVersion.V1_30 },
  poolerServiceAccountName: { path: 'Pooler spec.serviceAccountName', since: CnpgVersion.V1_29 },
  // Database
  databaseFdws: { path: 'Database spec.fdws', since: CnpgVersion.V1_28 },
  databaseServers: { path: 'Database spec.servers', since: CnpgVersion.V1_28 },
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
 * The Barman Cloud plugin release this library writes for (its ObjectStore CRD is
 * ../shared/crds/barman-cloud-0.14.0) and the oldest CloudNativePG each plugin release needs, from
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
