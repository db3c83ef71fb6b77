/* eslint-disable no-bitwise -- release sets are bit masks (bit i: release i of the group), as scripts/gen-schemas.js writes them */
import { releasesWithField, schemaFor, schemaGroupLabel, SchemaNode } from './schema';

/**
 * Fields on their way out, in an object as written: every field whose CRD description says
 * "Deprecated" in the targeted release (read from the vendored CRDs: Cluster and Pooler
 * `spec.monitoring.enablePodMonitor`, Pooler `authQuerySecret`, `bootstrap.initdb.options`, ...),
 * and the deprecations CloudNativePG announces in its documentation but not in its CRD (the
 * in-tree `barmanObjectStore`, `minSyncReplicas`/`maxSyncReplicas`). For `ManifestAudit`.
 */

/** One deprecated field found. @internal */
export interface DeprecatedField {
  readonly path: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

/** Replacements of the fields whose CRD description says "Deprecated". */
const CRD_FIXES: Record<string, string> = {
  'spec.monitoring': 'remove spec.monitoring.enablePodMonitor and its relabelings and write a PodMonitor yourself (the library\'s CnpgMonitoring and PgBouncerPooler do)',
  'spec.monitoring.enablePodMonitor': 'remove it and write a PodMonitor yourself (the library\'s CnpgMonitoring and PgBouncerPooler do)',
  'spec.monitoring.podMonitorRelabelings': 'move the relabelings into your own PodMonitor',
  'spec.monitoring.podMonitorMetricRelabelings': 'move the relabelings into your own PodMonitor',
  'spec.pgbouncer.authQuerySecret': 'authenticate the auth query with a client certificate (spec.pgbouncer.serverTLSSecret), or keep the operator\'s automated integration',
  'spec.bootstrap.initdb.options': 'use the explicit initdb fields (encoding, localeCollate, dataChecksums, walSegmentSize, ...)',
};

function atPath(node: SchemaNode | undefined, seg: string): SchemaNode | undefined {
  return node?.p?.[seg] ?? (node?.ap && node.ap !== 1 ? node.ap : undefined);
}

/**
 * The deprecated fields of an object for a release of its group (CRD descriptions, then the
 * documented deprecations of CloudNativePG kinds).
 *
 * @internal
 */
export function deprecatedFields(obj: any, release: string): DeprecatedField[] {
  const found = schemaFor(obj?.apiVersion, obj?.kind);
  if (!found) return [];
  const { group, kind } = found;
  const ri = group.releases.indexOf(release);
  const index = ri < 0 ? group.releases.length - 1 : ri;
  const out: DeprecatedField[] = [];
  const walk = (node: SchemaNode | undefined, value: unknown, path: string) => {
    if (!node || value === undefined || value === null) return;
    if (node.dp !== undefined && ((node.dp >> index) & 1) && path) {
      const key = path.replace(/\[\d+\]/g, '');
      const since = group.releases.find((_r, i) => (node.dp! >> i) & 1);
      out.push({
        path,
        value,
        problem: `is deprecated: the ${obj.kind} CRD of ${schemaGroupLabel(group)} ${group.releases[index]} says so (since ${since}), and a later release drops it`,
        fix: CRD_FIXES[key] ?? `remove ${path} (its CRD description names the replacement)`,
      });
      return;
    }
    if (Array.isArray(value)) {
      if (node.it) value.forEach((v, i) => walk(node.it, v, `${path}[${i}]`));
      return;
    }
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(atPath(node, k), v, path ? `${path}.${k}` : k);
    }
  };
  const { status, metadata, ...rest } = obj;
  void status; void metadata;
  walk(kind.schema, rest, '');
  if (group.group === 'cnpg') out.push(...documentedDeprecations(obj, group.releases[index]));
  return out;
}

/** CloudNativePG's documented deprecations that its CRDs do not mark. */
function documentedDeprecations(obj: any, release: string): DeprecatedField[] {
  const out: DeprecatedField[] = [];
  const spec = obj?.spec ?? {};
  if (obj.kind === 'Cluster' && spec.backup?.barmanObjectStore !== undefined) {
    out.push({
      path: 'spec.backup.barmanObjectStore',
      value: '{...}',
      problem: 'is the in-tree Barman Cloud support, deprecated since CloudNativePG 1.26 in favour of the Barman Cloud plugin (and removed in a later release)',
      fix: 'move the configuration to an ObjectStore (barmancloud.cnpg.io/v1) named in spec.plugins with isWALArchiver: true, and set the ScheduledBackups\' method to plugin (ClusterBackup does this; docs/guides/upgrade-barman-plugin.md)',
    });
  }
  if (obj.kind === 'ScheduledBackup' && spec.method === 'barmanObjectStore') {
    out.push({
      path: 'spec.method',
      value: spec.method,
      problem: 'backs up through the in-tree Barman Cloud support, deprecated since CloudNativePG 1.26',
      fix: 'set method: plugin with pluginConfiguration.name: barman-cloud.cloudnative-pg.io once the Cluster archives through the plugin',
    });
  }
  if (obj.kind === 'Cluster' && (spec.minSyncReplicas !== undefined || spec.maxSyncReplicas !== undefined)
    && releasesWithField(schemaFor('postgresql.cnpg.io/v1', 'Cluster')!.group, 'Cluster', 'spec.postgresql.synchronous.dataDurability').includes(release)) {
    const which = ['minSyncReplicas', 'maxSyncReplicas'].filter((f) => spec[f] !== undefined);
    out.push({
      path: `spec.${which[0]}`,
      value: spec[which[0]],
      problem: `(${which.join(', ')}) is the legacy synchronous replication, which CloudNativePG ${release} replaces with spec.postgresql.synchronous: `
        + 'with maxSyncReplicas the primary stops accepting writes when too few standbys answer, without saying so in the manifest',
      fix: 'remove minSyncReplicas/maxSyncReplicas and write spec.postgresql.synchronous { method: any, number: 1, dataDurability: required or preferred } (SynchronousReplication.any())',
    });
  }
  return out;
}
