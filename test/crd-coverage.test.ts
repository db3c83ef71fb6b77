import * as fs from 'fs';
import * as path from 'path';
import { CnpgSharedCluster, CnpgVersion } from '../src';
import { ATOMIC, coverage, coverageMarkdown, crdFields, KINDS, PROBES } from './util/crd-coverage';
import { chart, synth } from './util/synth';
import { REFUSED_CLUSTER_FIELDS, REFUSED_POOLER_FIELDS } from '../src/cluster/cluster-rules';

/**
 * The closing table of issue #12 (every field of the 1.30 Cluster, Pooler, Database,
 * ScheduledBackup and ObjectStore CRDs → typed / passthrough / refused) is computed by
 * test/util/crd-coverage.ts; these tests keep what it computes true.
 */
describe('the CRD coverage table', () => {
  const { rows, probeFields } = coverage();
  const status = (kind: string, field: string) => rows.find((r) => r.kind === kind && r.field === field)?.status;

  test('every Kubernetes type counted as one field is a field of its CRD', () => {
    for (const [kind, paths] of Object.entries(ATOMIC)) {
      const fields = crdFields(kind);
      for (const p of paths) expect(`${kind} ${fields.includes(p) ? p : `${p} (not in the CRD)`}`).toBe(`${kind} ${p}`);
    }
  });

  test('every probe writes at least one field (the prop → field map is not stale)', () => {
    const silent = PROBES.filter((p) => !(probeFields.get(p.prop) ?? []).length).map((p) => p.prop);
    expect(silent).toEqual([]);
  });

  test('the typed props of the issue\'s list are typed', () => {
    const expected: Array<[string, string]> = [
      ...['primaryUpdateStrategy', 'primaryUpdateMethod', 'failoverDelay', 'switchoverDelay', 'stopDelay', 'smartShutdownTimeout',
        'nodeMaintenanceWindow.inProgress', 'inheritedMetadata.labels', 'inheritedMetadata.annotations', 'postgresql.shared_preload_libraries',
        'postgresql.extensions[].name', 'postgresql.extensions[].image.reference', 'resources', 'affinity.tolerations', 'affinity.nodeSelector',
        'topologySpreadConstraints', 'managed.roles[].inRoles', 'managed.roles[].connectionLimit', 'managed.roles[].validUntil',
        'managed.roles[].createdb', 'managed.roles[].createrole', 'managed.roles[].bypassrls', 'managed.roles[].replication',
        'managed.roles[].comment', 'managed.services.additional[].selectorType', 'managed.services.disabledDefaultServices',
        'monitoring.customQueriesConfigMap[].name', 'monitoring.customQueriesSecret[].name', 'imageCatalogRef.name', 'postgresUID', 'postgresGID',
        'projectedVolumeTemplate', 'env', 'envFrom', 'serviceAccountTemplate.metadata.annotations', 'logLevel', 'tablespaces[].name',
        'superuserSecret.name'].map((f): [string, string] => ['Cluster', `spec.${f}`]),
      ...['owner', 'encoding', 'locale', 'localeProvider', 'template', 'tablespace', 'schemas[].name', 'extensions[].version',
        'databaseReclaimPolicy'].map((f): [string, string] => ['Database', `spec.${f}`]),
      ['Pooler', 'spec.pgbouncer.authQuerySecret.name'],
      ['Pooler', 'spec.pgbouncer.pg_hba'],
    ];
    expect(expected.filter(([k, f]) => status(k, f) !== 'typed').map(([k, f]) => `${k} ${f}: ${status(k, f)}`)).toEqual([]);
  });

  test.each(REFUSED_CLUSTER_FIELDS.map((r) => r.field))('refused: an override of Cluster %s fails at synth with the reason', (field) => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { operatorVersion: CnpgVersion.V1_30_0 });
    db.apiObject.addOverride(field, /Relabelings$/.test(field) ? [{ action: 'drop', sourceLabels: ['x'] }] : field.endsWith('SyncReplicas') ? 1 : true);
    expect(() => synth(c)).toThrow(new RegExp(`Cluster ${field.replace(/\./g, '\\.')} = .* Fix: `));
    expect(status('Cluster', field)).toBe('refused');
  });

  test.each(REFUSED_POOLER_FIELDS.map((r) => r.field))('refused: an override of Pooler %s fails at synth with the reason', (field) => {
    const c = chart();
    const db = new CnpgSharedCluster(c, 'db', { operatorVersion: CnpgVersion.V1_30_0, secretStore: { name: 's' } });
    const app = db.addApplication('app', { credentials: { remoteKey: 'k' } });
    app.pooler.apiObject.addOverride(field, /Relabelings$/.test(field) ? [{ action: 'drop', sourceLabels: ['x'] }] : true);
    expect(() => synth(c)).toThrow(new RegExp(`Pooler ${field.replace(/\./g, '\\.')} = .* Fix: `));
    expect(status('Pooler', field)).toBe('refused');
  });

  test('every field has one row; the kinds are the five CRDs', () => {
    expect(Object.keys(KINDS)).toEqual(['Cluster', 'Pooler', 'Database', 'ScheduledBackup', 'ObjectStore']);
    for (const kind of Object.keys(KINDS)) expect(rows.filter((r) => r.kind === kind).length).toBe(crdFields(kind).length);
  });

  test('docs/development/crd-coverage.md is the table the probes compute now', () => {
    const page = fs.readFileSync(path.join(__dirname, '..', 'docs', 'development', 'crd-coverage.md'), 'utf-8');
    expect(page.endsWith(`${coverageMarkdown()}\n`)).toBe(true);
  });
});
