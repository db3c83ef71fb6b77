/* eslint-disable no-bitwise -- release sets are bit masks (bit i: release i of the group), as scripts/gen-schemas.js writes them */
import { IConstruct } from 'constructs';
import { CnpgVersion } from './cnpg-version';
import { releasesWithField, schemaGroup, SchemaGroup, SchemaNode } from '../checks/schema';
import { invalidInput } from '../common/errors';

/**
 * A field of a CloudNativePG kind that a typed prop writes, to gate the prop on the targeted
 * release. Which releases have the field is not written here: it is read from the vendored CRDs
 * of every supported release (assets/schemas/cnpg.json, generated from vendor/crds).
 * @internal
 */
export interface CnpgField {
  /** The kind, e.g. `Pooler`. */
  readonly kind: string;
  /** The field's path in the object, `.`-separated, `[]` for the items of a list, e.g. `spec.pgbouncer.clientTLSSecret`. */
  readonly field: string;
  /** Only this enum value of the field is gated, not the field itself. */
  readonly value?: string;
}

/**
 * The fields typed props write that not every supported release's CRD has. Every other field is
 * gated just the same, by the schema check of each object as written (`CheckedApiObject`); these
 * entries only let a prop fail at construction with the prop's own name.
 * @internal
 */
export const CNPG_FIELDS = {
  clusterFailoverQuorum: { kind: 'Cluster', field: 'spec.postgresql.synchronous.failoverQuorum' },
  barmanLz4Compression: { kind: 'Cluster', field: 'spec.backup.barmanObjectStore.data.compression', value: 'lz4' },
  poolerClientTls: { kind: 'Pooler', field: 'spec.pgbouncer.clientTLSSecret' },
  poolerServerTls: { kind: 'Pooler', field: 'spec.pgbouncer.serverTLSSecret' },
  poolerImage: { kind: 'Pooler', field: 'spec.pgbouncer.image' },
} satisfies Record<string, CnpgField>;

/**
 * The supported releases whose CRD has the field (or the enum value), oldest first.
 * @internal
 */
export function releasesWith(field: CnpgField): CnpgVersion[] {
  const group = schemaGroup('cnpg');
  let releases = releasesWithField(group, field.kind, field.field);
  if (field.value !== undefined) {
    const node = nodeAt(group, field.kind, field.field);
    const mask = node?.ev?.[JSON.stringify(field.value)];
    if (mask !== undefined) releases = releases.filter((r) => (mask >> group.releases.indexOf(r)) & 1);
  }
  return releases.map((r) => CnpgVersion.of(r));
}

function nodeAt(group: SchemaGroup, kind: string, fieldPath: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = group.kinds[kind]?.schema;
  for (const seg of fieldPath.split('.')) {
    const list = seg.endsWith('[]');
    node = node?.p?.[list ? seg.slice(0, -2) : seg];
    if (list) node = node?.it;
  }
  return node;
}

/**
 * Throws the library's error when `current` lacks a field: which construct, which prop, the
 * value, the first release that has the field, and the fix.
 *
 * @param scope the construct whose prop asks for the field
 * @param prop the prop, as the user wrote it (e.g. `replication.failoverQuorum`)
 * @internal
 */
export function requireCnpgVersion(scope: IConstruct | string, current: CnpgVersion, prop: string, value: unknown, field: CnpgField): void {
  const releases = releasesWith(field);
  if (releases.some((r) => r.release === current.release)) return;
  const first = releases.find((r) => r.isAtLeast(current)) ?? releases[0];
  const what = `${field.kind} ${field.field}${field.value !== undefined ? ` ${JSON.stringify(field.value)}` : ''}`;
  if (!first) throw new Error(`no supported CloudNativePG release has ${what}`);
  throw invalidInput(scope, prop, value,
    `needs CloudNativePG ${first.version} or newer (${what}), but the manifests target operatorVersion ${current.version}, whose CRD does not have it`,
    `upgrade the operator and set operatorVersion: CnpgVersion.V${first.version.replace(/\./g, '_')} (or the settings' CNPG_OPERATOR_VERSION), or leave ${prop} unset`);
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
