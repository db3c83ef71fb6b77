/**
 * ManifestAudit (src/audit/manifest-audit.ts) on small manifests written in each test: how it
 * reads its options and settings, what it reports for each rule (rule, severity, place, value,
 * problem, fix), the rules across objects, the order of the findings and the refused objects.
 * The checks themselves have their own tests (test/checks-*.test.ts, test/connection-budget.test.ts,
 * ...); test/audit.test.ts audits the reference manifests and the library's output. Every audit
 * is built inside its test (mutation testing: docs/development/mutation-testing.md).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { AuditFinding, AuditSeverity, CnpgVersion, ManifestAudit, ManifestAuditOptions } from '../src';

const CNPG = 'postgresql.cnpg.io/v1';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-manifest-audit-'));
}

interface Written {
  readonly dir: string;
  readonly settingsFile?: string;
  readonly audit: ManifestAudit;
}

/** Writes each file (objects as a multi-document stream, or text) and the settings, then audits the folder. */
function audit(files: Record<string, any[] | string>, options: ManifestAuditOptions & { settings?: Record<string, string> } = {}): Written {
  const dir = tmpdir();
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : content.map((o) => stringify(o)).join('---\n'));
  }
  const { settings, ...rest } = options;
  let settingsFile = rest.settingsFile;
  if (settings) {
    settingsFile = path.join(tmpdir(), 'cluster-settings.yaml');
    fs.writeFileSync(settingsFile, stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-settings', namespace: 'flux-system' }, data: settings }));
  }
  return { dir, settingsFile, audit: ManifestAudit.ofPaths([dir], { ...rest, settingsFile }) };
}

const row = (f: AuditFinding) => [f.ruleId, f.severity, `${f.kind}/${f.name}`, f.path, f.value, f.problem];
const by = (a: ManifestAudit, ruleId: string) => a.findings.filter((f) => f.ruleId === ruleId);

function cluster(name: string, spec: any = {}, namespace: string = 'databases'): any {
  return { apiVersion: CNPG, kind: 'Cluster', metadata: { name, namespace }, spec: { instances: 3, storage: { size: '10Gi' }, ...spec } };
}

/** pg_hba rules that keep plain-text clients out (the pooler-tls rule), valid in every release. */
const TLS_HBA = ['hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject'];

/** A Pooler with none of the pooler rules' findings (but the PodDisruptionBudget, another object). */
function pooler(name: string, spec: any = {}, namespace: string = 'databases'): any {
  return {
    apiVersion: CNPG,
    kind: 'Pooler',
    metadata: { name, namespace },
    spec: {
      cluster: { name: 'pg' },
      instances: 3,
      type: 'rw',
      pgbouncer: { poolMode: 'transaction', pg_hba: TLS_HBA },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [],
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100,
                podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'cnpg.io/poolerName': name } } },
              }],
            },
          },
        },
      },
      ...spec,
    },
  };
}

function pdb(poolerName: string, namespace: string = 'databases'): any {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: `${poolerName}-pdb`, namespace },
    spec: { maxUnavailable: 1, selector: { matchLabels: { 'cnpg.io/poolerName': poolerName } } },
  };
}

function configMap(name: string, data: Record<string, string>, namespace: string = 'databases'): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

describe('options and settings', () => {
  test('the operator release: the option first, then the settings\' CNPG_OPERATOR_VERSION (a Helm chart version), then the oldest supported', () => {
    const files = { 'cm.yaml': [configMap('a', { k: 'v' })] };
    expect(audit(files, { settings: { CNPG_OPERATOR_VERSION: '0.29.0' }, operatorVersion: CnpgVersion.V1_28_0 }).audit.operatorVersion).toBe(CnpgVersion.V1_28_0);
    expect(audit(files, { settings: { CNPG_OPERATOR_VERSION: '0.29.0' } }).audit.operatorVersion.release).toBe('1.30.0');
    expect(audit(files, { settings: { OTHER: 'x' } }).audit.operatorVersion).toBe(CnpgVersion.DEFAULT);
    expect(audit(files).audit.operatorVersion).toBe(CnpgVersion.DEFAULT);
    expect(CnpgVersion.DEFAULT.release).toBe('1.27.0');
  });

  test('settings the library refuses: a cluster-settings error at the key, with its value; the chart version still read when it is valid', () => {
    const w = audit({ 'cm.yaml': [configMap('a', { k: 'v' })] }, { settings: { CNPG_OPERATOR_VERSION: '0.29.0', CNPG_INSTANCES: 'three' } });
    expect(w.audit.operatorVersion.release).toBe('1.30.0');
    expect(by(w.audit, 'cluster-settings')).toEqual([{
      severity: AuditSeverity.ERROR,
      ruleId: 'cluster-settings',
      kind: 'ConfigMap',
      name: 'cluster-settings',
      namespace: 'flux-system',
      file: w.settingsFile,
      line: 1,
      path: 'data.CNPG_INSTANCES',
      value: '"three"',
      problem: '(the number of PostgreSQL instances) is not an integer of at least 1',
      fix: 'write a whole number such as "3"',
    }]);
    expect(w.audit.settingsFile).toBe(w.settingsFile);
    expect(w.audit.errorCount).toBe(1);
  });

  test('an unknown chart version: reported at its key, and the oldest supported release is used', () => {
    const w = audit({ 'cm.yaml': [configMap('a', { k: 'v' })] }, { settings: { CNPG_OPERATOR_VERSION: '9.9.9' } });
    expect(w.audit.operatorVersion).toBe(CnpgVersion.DEFAULT);
    expect(by(w.audit, 'cluster-settings').map((f) => [f.path, f.value])).toEqual([['data.CNPG_OPERATOR_VERSION', '"9.9.9"']]);
  });

  test('the settings ConfigMap\'s own name and namespace, and the first ConfigMap of a multi-document file', () => {
    const dir = tmpdir();
    const settingsFile = path.join(dir, 'settings.yaml');
    fs.writeFileSync(settingsFile, [
      stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }),
      stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'platform-settings' }, data: { CNPG_INSTANCES: '0' } }),
    ].join('---\n'));
    const a = ManifestAudit.ofPaths([tmpdir()], { settingsFile });
    expect(by(a, 'cluster-settings').map((f) => [f.kind, f.name, f.namespace, f.path])).toEqual([['ConfigMap', 'platform-settings', undefined, 'data.CNPG_INSTANCES']]);
  });

  test('settings: an empty document before the ConfigMap, a ConfigMap without metadata, values with quotes or not written as strings', () => {
    const dir = tmpdir();
    const settingsFile = path.join(dir, 'settings.yaml');
    fs.writeFileSync(settingsFile, '---\n---\nkind: ConfigMap\ndata:\n  CNPG_INSTANCES: 10\n  CNPG_DATA_SIZE: \'a"b\'\n');
    const a = ManifestAudit.ofPaths([tmpdir()], { settingsFile });
    expect(a.findings.map((f) => [f.kind, f.name, f.namespace, f.path, f.value, f.problem, f.fix])).toEqual([
      ['ConfigMap', 'cluster-settings', undefined, 'data.CNPG_INSTANCES', '"10"', 'is not a string (ConfigMap values are strings)', 'quote the value: CNPG_INSTANCES: "10"'],
    ]);
    fs.writeFileSync(settingsFile, 'kind: ConfigMap\ndata:\n  CNPG_DATA_SIZE: \'a"b c\'\n');
    expect(ManifestAudit.ofPaths([tmpdir()], { settingsFile }).findings.map((f) => [f.path, f.value, f.problem.slice(0, 20)]))
      .toEqual([['data.CNPG_DATA_SIZE', '"a\\"b c"', expect.not.stringMatching(/^ClusterSettings/)]]);
  });

  test('a settings file whose path holds ":" and "): ": the finding still has its key, value, problem and fix', () => {
    const dir = path.join(tmpdir(), 'team): a:b');
    fs.mkdirSync(dir);
    const settingsFile = path.join(dir, 'settings.yaml');
    fs.writeFileSync(settingsFile, stringify({ kind: 'ConfigMap', data: { CNPG_INSTANCES: 'three' } }));
    expect(ManifestAudit.ofPaths([tmpdir()], { settingsFile }).findings.map((f) => [f.path, f.value, f.problem, f.fix])).toEqual([
      ['data.CNPG_INSTANCES', '"three"', '(the number of PostgreSQL instances) is not an integer of at least 1', 'write a whole number such as "3"'],
    ]);
  });

  test('a settings file that cannot be read, or holds no ConfigMap with data: an error naming the file', () => {
    const dir = tmpdir();
    const missing = path.join(dir, 'missing.yaml');
    expect(() => ManifestAudit.ofPaths([dir], { settingsFile: missing })).toThrow(`cannot read the settings file ${missing}: ENOENT: no such file or directory, open '${missing}'`);
    for (const text of ['kind: ConfigMap\n', 'kind: ConfigMap\ndata: null\n', 'kind: ConfigMap\ndata: text\n', 'kind: ConfigMap\ndata: [a, b]\n', 'kind: Secret\ndata: {}\n', '']) {
      const file = path.join(dir, 'settings.yaml');
      fs.writeFileSync(file, text);
      expect(() => ManifestAudit.ofPaths([dir], { settingsFile: file })).toThrow(new Error(`the settings file ${file} has no ConfigMap with data`));
    }
  });

  test('the settings\' data are substituted, newlines removed as Flux loads them', () => {
    const w = audit({ 'cm.yaml': [configMap('a', { k: 'x-${VALUE}-y' })] }, { settings: { VALUE: 'a\nb' } });
    expect(w.audit.findings).toEqual([]);
    const read = JSON.parse(w.audit.toJson());
    expect(read.objects.map((o: any) => o.name)).toEqual(['a']);
  });
});

describe('files, objects, YAML errors', () => {
  test('each object read, with its file, line, group, kind, name, namespace and whether a schema checked it; other documents skipped', () => {
    const w = audit({
      'a.yaml': [configMap('a', { k: 'v' }), { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }],
      'kustomization.yaml': [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['a.yaml'] }],
    });
    const file = path.join(w.dir, 'a.yaml');
    expect(w.audit.objects).toEqual([
      { file, line: 1, apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'databases', schemaChecked: true },
      { file, line: 9, apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', namespace: undefined, schemaChecked: false },
    ]);
    expect(w.audit.files).toEqual([file, path.join(w.dir, 'kustomization.yaml')]);
    expect(w.audit.skipped.map((s) => path.basename(s.file))).toEqual(['kustomization.yaml']);
    expect(w.audit.findings).toEqual([]);
  });

  test('an object without a name or namespace, or without metadata: empty name, no namespace', () => {
    const w = audit({ 'a.yaml': [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: {} }, { apiVersion: 'v1', kind: 'ConfigMap', data: {} }] });
    expect(w.audit.objects.map((o) => [o.name, o.namespace])).toEqual([['', undefined], ['', undefined]]);
  });

  test('invalid YAML: a yaml error at its line, and the file\'s other documents still read', () => {
    const w = audit({ 'bad.yaml': `${stringify(configMap('a', { k: 'v' }))}---\nkey: [unclosed\n` });
    expect(w.audit.findings).toEqual([{
      severity: AuditSeverity.ERROR,
      ruleId: 'yaml',
      kind: '',
      name: '',
      namespace: undefined,
      file: path.join(w.dir, 'bad.yaml'),
      line: 10,
      path: '',
      value: undefined,
      problem: 'is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      fix: 'fix the YAML syntax',
    }]);
    expect(w.audit.objects.map((o) => o.name)).toEqual(['a']);
  });
});

describe('Flux variables', () => {
  test('undefined variables: one error per field naming them all, singular or plural', () => {
    const w = audit({ 'cm.yaml': [configMap('a', { one: '${U1}', two: '${U1}-${U2}-${U1}', set: '${S}', dflt: '${U3:=d}' })] }, { settings: { S: 's' } });
    expect(by(w.audit, 'flux-variable').map((f) => [f.severity, f.path, f.value, f.problem, f.fix])).toEqual([
      [AuditSeverity.ERROR, 'data.one', '"${U1}"', 'names a variable the cluster-settings do not define: Flux substitutes it with an empty string (or fails the whole Kustomization with StrictPostBuildSubstitutions)',
        'define them in the cluster-settings, give each a default (${VAR:=value}); for a shell variable write $${VAR}, or annotate the object kustomize.toolkit.fluxcd.io/substitute: disabled'],
      [AuditSeverity.ERROR, 'data.two', '"${U1} ${U2}"', 'name variables the cluster-settings do not define: Flux substitutes each with an empty string (or fails the whole Kustomization with StrictPostBuildSubstitutions)',
        'define them in the cluster-settings, give each a default (${VAR:=value}); for a shell variable write $${VAR}, or annotate the object kustomize.toolkit.fluxcd.io/substitute: disabled'],
    ]);
    expect(w.audit.findings.map((f) => f.line)).toEqual([7, 8]);
  });

  test('strict substitution: the object fails, one error on the whole object', () => {
    const w = audit({ 'cm.yaml': [configMap('a', { k: '${UNDEF}' })] }, { settings: { S: 's' }, strictSubstitution: true });
    expect(by(w.audit, 'flux-variable').map((f) => [f.path, f.value, f.line, f.problem, f.fix])).toEqual([
      ['', undefined, 1, 'fails Flux\'s strict substitution: variable not set (strict mode): "UNDEF"',
        'define the variable in the cluster-settings, give it a default (${VAR:=value}), or escape a shell variable as $${VAR}'],
      ['data.k', '"${UNDEF}"', 7, expect.stringMatching(/^names a variable the cluster-settings do not define/), expect.any(String)],
    ]);
    expect(audit({ 'cm.yaml': [configMap('a', { k: '${UNDEF}' })] }, { settings: { S: 's' } }).audit.findings.map((f) => f.path)).toEqual(['data.k']);
  });

  test('a value that is not one YAML value once substituted, and an expression envsubst cannot parse: errors at their fields', () => {
    const w = audit({ 'cm.yaml': [configMap('a', { map: '${MAP}', dash: '${TEAM-x}' })] }, { settings: { MAP: 'a: b' } });
    expect(w.audit.findings.map((f) => [f.ruleId, f.severity, f.path, f.value, f.line, f.problem, f.fix])).toEqual([
      ['flux-variable', AuditSeverity.ERROR, 'data.map', '"a: b"', 7,
        'is not one YAML value once Flux has substituted it (Nested mappings are not allowed in compact mappings): Flux fails the whole Kustomization',
        'give the variable a value YAML reads as one scalar: quote it in the cluster-settings (\'a: b\' with its quotes) when it is the whole field, or change it'],
      ['flux-variable', AuditSeverity.ERROR, 'data.dash', '"${TEAM-x}"', 8,
        'is an expression Flux\'s envsubst cannot parse ("-" after the name starts none of its functions): Flux fails the whole Kustomization',
        'write ${VAR}, ${VAR:=default} or ${VAR:-default} (with a colon); for a literal "${" write "$${"'],
    ]);
  });

  test('substitution disabled on an object: its variables are not reported', () => {
    const cm = configMap('a', { k: '${UNDEF}' });
    cm.metadata.annotations = { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' };
    expect(audit({ 'cm.yaml': [cm] }, { settings: { S: 's' } }).audit.findings).toEqual([]);
  });

  test('without settings: one note per object naming each variable once; a form not evaluated is a note at its field', () => {
    const w = audit({ 'cm.yaml': [configMap('a', { k: '${A} ${B}', l: '${A}', m: '${C^^}' })] });
    expect(w.audit.findings.map((f) => [f.ruleId, f.severity, f.path, f.value, f.problem, f.fix])).toEqual([
      ['flux-variable-unresolved', AuditSeverity.NOTE, '', '"${A} ${B}"', 'holds Flux variables, left as written: the fields that hold one are not checked',
        'pass the cluster-settings (--settings) to check the objects as Flux applies them'],
      ['flux-variable-unresolved', AuditSeverity.NOTE, 'data.m', '"${C^^}"', 'is an envsubst form the audit does not evaluate: the field is checked as written', 'use ${VAR} or ${VAR:=default}'],
    ]);
  });

  test('a field holding a variable is not schema-checked when the variable is unresolved; once substituted it is', () => {
    const written = cluster('pg', { instances: '${CNPG_INSTANCES}' });
    expect(by(audit({ 'pg.yaml': [written] }).audit, 'crd-schema')).toEqual([]);
    const w = audit({ 'pg.yaml': [written] }, { settings: { CNPG_INSTANCES: 'many' } });
    expect(by(w.audit, 'crd-schema').map((f) => [f.path, f.value])).toEqual([['spec.instances', '"many"']]);
    expect(w.audit.refusedObjects.map((o) => o.name)).toEqual(['pg']);
    // Only a string holding a variable waits for Flux: a list where a number belongs is refused whatever it holds.
    expect(by(audit({ 'pg.yaml': [cluster('pg', { instances: ['${CNPG_INSTANCES}'] })] }).audit, 'crd-schema').map((f) => f.path)).toEqual(['spec.instances']);
  });
});

describe('the rules of one object', () => {
  test('crd-schema: an error, the object refused; deprecated-field: a warning in the targeted release, not refused', () => {
    const old = cluster('pg', { instances: 'three' });
    const w = audit({ 'pg.yaml': [old] });
    expect(w.audit.findings.map(row)).toEqual([
      ['crd-schema', AuditSeverity.ERROR, 'Cluster/pg', 'spec.instances', '"three"', expect.stringMatching(/integer/)],
    ]);
    expect(w.audit.refusedObjects).toEqual([w.audit.objects[0]]);
  });

  test('deprecated fields: a warning, not refused; of a CloudNativePG kind in the targeted release, of another group in its newest release', () => {
    const legacySync = cluster('pg', { minSyncReplicas: 1, maxSyncReplicas: 1 });
    const podMonitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'pm', namespace: 'databases' },
      spec: { selector: { matchLabels: { 'cnpg.io/cluster': 'pg' } }, podMetricsEndpoints: [{ port: 'metrics', targetPort: 9187 }] },
    };
    for (const version of [CnpgVersion.V1_27_1, CnpgVersion.V1_30_0]) {
      const a = audit({ 'pg.yaml': [legacySync, podMonitor] }, { operatorVersion: version }).audit;
      expect(by(a, 'deprecated-field').map((f) => [f.severity, `${f.kind}/${f.name}`, f.path])).toEqual([
        [AuditSeverity.WARNING, 'Cluster/pg', 'spec.minSyncReplicas'],
        [AuditSeverity.WARNING, 'PodMonitor/pm', 'spec.podMetricsEndpoints[0].targetPort'],
      ]);
      const [sync, target] = by(a, 'deprecated-field');
      expect(sync.problem).toContain(`which CloudNativePG ${version.release} replaces`);
      expect(target.problem).toBe('is deprecated: the PodMonitor CRD of prometheus-operator 0.93.0 says so (since 0.93.0), and a later release drops it');
      expect(a.refusedObjects).toEqual([]);
    }
  });

  test('Cluster: fixed parameters and webhook rules refuse the object; superuser access is a warning', () => {
    const w = audit({ 'pg.yaml': [cluster('pg', { imageName: 'ghcr.io/cloudnative-pg/postgresql:latest', enableSuperuserAccess: true, postgresql: { parameters: { port: '5433' } } })] });
    expect(w.audit.findings.map((f) => [f.ruleId, f.severity, f.path])).toEqual([
      ['cluster-webhook', AuditSeverity.ERROR, 'spec.imageName'],
      ['superuser-access', AuditSeverity.WARNING, 'spec.enableSuperuserAccess'],
      ['fixed-parameter', AuditSeverity.ERROR, 'spec.postgresql.parameters.port'],
    ]);
    expect(w.audit.refusedObjects.map((o) => o.name)).toEqual(['pg']);
  });

  test('a fixed parameter alone, or a webhook rule alone, refuses the Cluster', () => {
    expect(audit({ 'pg.yaml': [cluster('pg', { postgresql: { parameters: { port: '5433' } } })] }).audit.refusedObjects.map((o) => o.name)).toEqual(['pg']);
    expect(audit({ 'pg.yaml': [cluster('pg', { imageName: 'ghcr.io/cloudnative-pg/postgresql:latest' })] }).audit.refusedObjects.map((o) => o.name)).toEqual(['pg']);
  });

  test('a Cluster, Pooler or ScheduledBackup without spec, or a Pooler without pgbouncer: the schema\'s findings, no failure', () => {
    const bare = (kind: string) => ({ apiVersion: CNPG, kind, metadata: { name: 'x', namespace: 'databases' } });
    const noPgbouncer = { ...bare('Pooler'), spec: { cluster: { name: 'x' }, instances: 3 } };
    const w = audit({ 'x.yaml': [bare('Cluster'), bare('Pooler'), bare('ScheduledBackup'), noPgbouncer] });
    expect(w.audit.objects.map((o) => o.kind)).toEqual(['Cluster', 'Pooler', 'ScheduledBackup', 'Pooler']);
    expect(by(w.audit, 'crd-schema').length).toBeGreaterThan(0);
  });

  test('a Cluster or Pooler of another group is none of CloudNativePG\'s', () => {
    const other = { apiVersion: 'example.com/v1', kind: 'Cluster', metadata: { name: 'pg', namespace: 'databases' }, spec: { postgresql: { parameters: { port: '5433' } }, enableSuperuserAccess: true } };
    const otherPooler = { apiVersion: 'example.com/v1', kind: 'Pooler', metadata: { name: 'p', namespace: 'databases' }, spec: { instances: 1 } };
    const superuserSecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pg-superuser', namespace: 'databases' } };
    const otherBackup = { apiVersion: 'example.com/v1', kind: 'ScheduledBackup', metadata: { name: 'b', namespace: 'databases' }, spec: { cluster: { name: 'store' } } };
    const other2 = { apiVersion: 'example.com/v1', kind: 'Cluster', metadata: { name: 'pg2', namespace: 'databases' } };
    const superuserSecret2 = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pg2-superuser', namespace: 'databases' } };
    expect(audit({ 'o.yaml': [other, otherPooler, superuserSecret, other2, superuserSecret2] }).audit.findings).toEqual([]);
    // Nor is a ScheduledBackup of another group a base backup of a CloudNativePG Cluster.
    const store = cluster('store', { backup: { barmanObjectStore: { destinationPath: 's3://b/', s3Credentials: { inheritFromIAMRole: true } } } });
    expect(by(audit({ 'o.yaml': [store, otherBackup] }).audit, 'backup-missing').map((f) => f.name)).toEqual(['store']);
  });

  test('Pooler: a parameter outside the allow-list refuses it; a value of the wrong type is an error that does not; a repeated startup parameter is a warning', () => {
    const w = audit({
      'p.yaml': [
        pooler('a', { pgbouncer: { poolMode: 'transaction', pg_hba: TLS_HBA, parameters: { listen_port: '6433' } } }),
        pooler('b', { pgbouncer: { poolMode: 'transaction', pg_hba: TLS_HBA, parameters: { default_pool_size: 'ten' } } }),
        pooler('c', { pgbouncer: { poolMode: 'transaction', pg_hba: TLS_HBA, parameters: { ignore_startup_parameters: 'extra_float_digits,extra_float_digits' } } }),
        pdb('a'), pdb('b'), pdb('c'),
      ],
    });
    expect(w.audit.findings.map((f) => [f.ruleId, f.severity, f.name, f.path])).toEqual([
      ['pgbouncer-parameter', AuditSeverity.ERROR, 'a', 'spec.pgbouncer.parameters.listen_port'],
      ['pgbouncer-parameter', AuditSeverity.ERROR, 'b', 'spec.pgbouncer.parameters.default_pool_size'],
      ['pgbouncer-parameter', AuditSeverity.WARNING, 'c', 'spec.pgbouncer.parameters.ignore_startup_parameters'],
    ]);
    expect(w.audit.refusedObjects.map((o) => o.name)).toEqual(['a']);
    expect(w.audit.warningCount).toBe(1);
    expect(w.audit.errorCount).toBe(2);
  });

  test('Pooler: a parameter allowed only from a later release refuses the object in an older one', () => {
    const p = pooler('a', { pgbouncer: { poolMode: 'transaction', pg_hba: TLS_HBA, parameters: { client_tls_sslmode: 'require' } } });
    const older = audit({ 'p.yaml': [p, pdb('a')] }, { operatorVersion: CnpgVersion.V1_27_0 }).audit;
    expect(older.findings.map((f) => [f.ruleId, f.severity, f.path, f.problem])).toEqual([['pgbouncer-parameter', AuditSeverity.ERROR, 'spec.pgbouncer.parameters.client_tls_sslmode',
      'is allowed only since CloudNativePG 1.27.1; the manifests target operatorVersion 1.27.0, whose webhook rejects it ("Invalid or reserved parameter")']]);
    expect(older.refusedObjects.map((o) => o.name)).toEqual(['a']);
    expect(audit({ 'p.yaml': [p, pdb('a')] }, { operatorVersion: CnpgVersion.V1_27_1 }).audit.findings).toEqual([]);
  });

  test('Pooler: ignore_startup_parameters that is no list of names is an error, not the redundancy warning', () => {
    const p = pooler('a', { pgbouncer: { poolMode: 'transaction', pg_hba: TLS_HBA, parameters: { ignore_startup_parameters: 'a b' } } });
    const a = audit({ 'p.yaml': [p, pdb('a')] }).audit;
    expect(a.findings.map((f) => [f.ruleId, f.severity, f.path, f.problem])).toEqual([
      ['pgbouncer-parameter', AuditSeverity.ERROR, 'spec.pgbouncer.parameters.ignore_startup_parameters', 'is not a comma-separated list of parameter names'],
    ]);
    expect(a.refusedObjects).toEqual([]);
  });

  test('Pooler: replicas, anti-affinity and TLS, each its rule and severity', () => {
    const bare = { apiVersion: CNPG, kind: 'Pooler', metadata: { name: 'p', namespace: 'databases' }, spec: { cluster: { name: 'pg' }, instances: 1, type: 'rw', pgbouncer: { poolMode: 'session' } } };
    const w = audit({ 'p.yaml': [bare, pdb('p')] });
    expect(w.audit.findings.map((f) => [f.ruleId, f.severity, f.path])).toEqual([
      ['pooler-anti-affinity', AuditSeverity.WARNING, 'spec.template.spec.affinity.podAntiAffinity'],
      ['pooler-instances', AuditSeverity.ERROR, 'spec.instances'],
      ['pooler-tls', AuditSeverity.ERROR, 'spec.pgbouncer'],
    ]);
    expect(w.audit.refusedObjects).toEqual([]);
  });

  test('ScheduledBackup: a schedule problem; with the settings, the variable it came from and where to fix it', () => {
    const sb = (schedule: string) => ({ apiVersion: CNPG, kind: 'ScheduledBackup', metadata: { name: 'daily', namespace: 'databases' }, spec: { schedule, cluster: { name: 'pg' } } });
    const plain = audit({ 'sb.yaml': [sb('0 2 * * *')] }).audit;
    const [p] = by(plain, 'backup-schedule');
    expect([p.severity, p.path, p.value]).toEqual([AuditSeverity.ERROR, 'spec.schedule', '"0 2 * * *"']);
    const w = audit({ 'sb.yaml': [sb('${CNPG_BACKUP_SCHEDULE}')] }, { settings: { CNPG_BACKUP_SCHEDULE: '0 2 * * *' } });
    const fromSettings = by(w.audit, 'backup-schedule');
    expect(fromSettings.map((f) => [f.path, f.value, f.problem, f.fix])).toEqual([[
      'spec.schedule', '"0 2 * * *"', `${p.problem} (from \${CNPG_BACKUP_SCHEDULE} in ${w.settingsFile})`, `${p.fix}, in CNPG_BACKUP_SCHEDULE of the cluster-settings`,
    ]]);
    // A schedule written in the manifest, audited with settings: as written.
    const literal = audit({ 'sb.yaml': [sb('0 2 * * *')] }, { settings: { CNPG_BACKUP_SCHEDULE: '0 0 2 * * *' } }).audit;
    expect(by(literal, 'backup-schedule').map((f) => [f.problem, f.fix])).toEqual([[p.problem, p.fix]]);
  });

  test('alert rules naming metrics CloudNativePG does not export, and workloads running as root', () => {
    const rule = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'alerts', namespace: 'databases' },
      spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'cnpg_no_such_metric > 0' }] }] },
    };
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'databases' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', securityContext: { runAsUser: 0 } }] } } },
    };
    const w = audit({ 'a.yaml': [rule, job] });
    expect(w.audit.findings.map((f) => [f.ruleId, f.severity, `${f.kind}/${f.name}`])).toEqual([
      ['alert-metric', AuditSeverity.ERROR, 'PrometheusRule/alerts'],
      ...by(w.audit, 'pod-security').map(() => ['pod-security', AuditSeverity.ERROR, 'Job/j']),
    ]);
    expect(by(w.audit, 'pod-security').length).toBeGreaterThan(0);
  });
});

describe('the rules across objects', () => {
  test('pooler-pdb: a Pooler no PodDisruptionBudget selects, with its namespace in the fix', () => {
    const w = audit({ 'p.yaml': [pooler('a'), pooler('b', {}, 'apps'), pdb('b', 'other'), pdb('c')] });
    expect(w.audit.findings.map((f) => [f.ruleId, f.severity, f.name, f.path, f.value, f.problem, f.fix])).toEqual([
      ['pooler-pdb', AuditSeverity.WARNING, 'a', '', undefined,
        'has no PodDisruptionBudget over its pods (none of the audited PodDisruptionBudgets selects cnpg.io/poolerName: a): a node drain may evict every replica at once',
        'add a PodDisruptionBudget in databases with maxUnavailable: 1 and selector.matchLabels cnpg.io/poolerName: a (what PgBouncerPooler writes)'],
      ['pooler-pdb', AuditSeverity.WARNING, 'b', '', undefined, expect.stringMatching(/cnpg.io\/poolerName: b\)/),
        'add a PodDisruptionBudget in apps with maxUnavailable: 1 and selector.matchLabels cnpg.io/poolerName: b (what PgBouncerPooler writes)'],
    ]);
    // Only a PodDisruptionBudget counts, not another kind with the same selector.
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'databases' }, spec: { selector: { matchLabels: { 'cnpg.io/poolerName': 'c' } } } };
    expect(by(audit({ 'p.yaml': [pooler('c'), deployment] }).audit, 'pooler-pdb').map((f) => f.name)).toEqual(['c']);
    const noNamespace = pooler('n');
    delete noNamespace.metadata.namespace;
    expect(by(audit({ 'p.yaml': [noNamespace] }).audit, 'pooler-pdb').map((f) => f.fix))
      .toEqual(['add a PodDisruptionBudget in its namespace with maxUnavailable: 1 and selector.matchLabels cnpg.io/poolerName: n (what PgBouncerPooler writes)']);
  });

  test('backup-missing: WAL archived (object store or a WAL-archiver plugin) without a ScheduledBackup of the cluster in its namespace', () => {
    const store = cluster('store', { backup: { barmanObjectStore: { destinationPath: 's3://b/', s3Credentials: { inheritFromIAMRole: true } } } });
    const plugin = cluster('plugin', { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store' } }] });
    const notArchiver = cluster('reader', { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: false, parameters: { barmanObjectName: 'store' } }] });
    const covered = cluster('covered', { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store' } }] });
    const sb = (clusterName: string, namespace: string) => ({
      apiVersion: CNPG,
      kind: 'ScheduledBackup',
      metadata: { name: `${clusterName}-daily`, namespace },
      spec: { schedule: '0 0 2 * * *', cluster: { name: clusterName }, method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' } },
    });
    // Also: a plugin list with an empty entry and an archiver after a plugin that is none; a Pooler of the cluster and
    // a ScheduledBackup without spec are no base backups.
    const mixed = cluster('mixed', { plugins: [null, { name: 'other.example.com' }, { name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store' } }] });
    const poolerOfStore = pooler('store-pooler', { cluster: { name: 'store' } });
    const noSpec = { apiVersion: CNPG, kind: 'ScheduledBackup', metadata: { name: 'empty', namespace: 'databases' } };
    const noCluster = { apiVersion: CNPG, kind: 'ScheduledBackup', metadata: { name: 'nocluster', namespace: 'databases' }, spec: { schedule: '0 0 2 * * *' } };
    const w = audit({ 'c.yaml': [store, plugin, notArchiver, covered, sb('covered', 'databases'), sb('plugin', 'elsewhere'), mixed, poolerOfStore, pdb('store-pooler'), noSpec, noCluster] },
      { operatorVersion: CnpgVersion.V1_27_1 });
    expect(by(w.audit, 'backup-missing').map((f) => [f.severity, f.name, f.path, f.value, f.problem, f.fix])).toEqual([
      [AuditSeverity.ERROR, 'store', 'spec.backup.barmanObjectStore', undefined,
        'archives WAL, but no audited ScheduledBackup takes base backups of this cluster: WAL alone restores nothing, and the archive grows without a base backup to start from',
        'add a ScheduledBackup with spec.cluster.name: store and a six-field schedule such as "0 0 2 * * *" (ClusterBackup writes one)'],
      [AuditSeverity.ERROR, 'plugin', 'spec.plugins', undefined, expect.stringMatching(/^archives WAL/), expect.stringMatching(/spec.cluster.name: plugin /)],
      [AuditSeverity.ERROR, 'mixed', 'spec.plugins', undefined, expect.stringMatching(/^archives WAL/), expect.stringMatching(/spec.cluster.name: mixed /)],
    ]);
  });

  test('connection-budget: the poolers of each cluster against its max_connections, with the lower bound of unbounded poolers', () => {
    const tight = cluster('pg', { postgresql: { parameters: { max_connections: '40' } } });
    const p = (name: string, extra: any = {}) => pooler(name, { instances: 3, pgbouncer: { poolMode: 'transaction', pg_hba: TLS_HBA, parameters: { default_pool_size: '20', ...extra } } });
    const w = audit({ 'c.yaml': [tight, p('a'), pdb('a')] });
    const [f] = by(w.audit, 'connection-budget');
    expect([f.severity, f.kind, f.name, f.path, f.value]).toEqual([AuditSeverity.ERROR, 'Cluster', 'pg', 'spec.postgresql.parameters.max_connections', '"40"']);
    expect(f.problem).toMatch(/^connection budget: /);
    expect(f.problem).toMatch(/\. Also, even if each reaches a single database as a single role, they /);
    expect(f.problem).toMatch(/ \(reservedConnections 10: the instance manager, the exporter, backups and administrators\)$/);
    expect(f.fix).toBe('restrict each Pooler\'s spec.pgbouncer.pg_hba to its databases and roles (hostssl <db> <role> ... scram-sha-256, then host all all ... reject), '
      + 'cap what one replica opens with max_db_connections, lower default_pool_size/reserve_pool_size, run fewer replicas, or raise max_connections');
    // reservedConnections is the option's.
    expect(by(audit({ 'c.yaml': [tight, p('a'), pdb('a')] }, { reservedConnections: 3 }).audit, 'connection-budget')[0].problem).toMatch(/\(reservedConnections 3: /);
  });

  test('connection-budget: max_connections unset is its default (100); a bounded pooler has no lower-bound sentence', () => {
    const p = (name: string) => pooler(name, {
      instances: 10,
      pgbouncer: { poolMode: 'transaction', parameters: { default_pool_size: '20', max_db_connections: '20' }, pg_hba: [...TLS_HBA, 'hostssl app app all scram-sha-256', 'host all all all reject'] },
    });
    const w = audit({ 'c.yaml': [cluster('pg'), p('a'), pdb('a')] });
    const [f] = by(w.audit, 'connection-budget');
    expect(f.value).toBe('"(unset: 100)"');
    expect(f.problem).not.toMatch(/even if each/);
  });

  test('connection-budget: the lower bound counts a bounded pooler as it is and an unbounded one at one pair; joined sentences', () => {
    const unbounded = pooler('a', { instances: 3, pgbouncer: { poolMode: 'transaction', pg_hba: TLS_HBA, parameters: { default_pool_size: '20' } } });
    const twoPairs = pooler('b', {
      instances: 2,
      pgbouncer: { poolMode: 'transaction', parameters: { default_pool_size: '20' }, pg_hba: [...TLS_HBA, 'hostssl a a all scram-sha-256', 'hostssl b b all scram-sha-256', 'host all all all reject'] },
    });
    const w = audit({ 'c.yaml': [cluster('pg'), unbounded, twoPairs, pdb('a'), pdb('b')] });
    const [f] = by(w.audit, 'connection-budget');
    // a: 21 a replica at one pair × 3 (not unbounded); b as it is: 41 a replica for its two pairs × 2 (not 21 × 2 at one pair).
    expect(f.problem).toContain('. Also, even if each reaches a single database as a single role, they can open 145 server connections on the primary');
    expect(f.problem).toContain('Shares: a (a, rw): 3 × 21 = 63; b (b, rw): 2 × 41 = 82');
    // Both sentences of the lower bound (primary and standby) when nothing fits.
    const tiny = audit({ 'c.yaml': [cluster('pg', { postgresql: { parameters: { max_connections: '12' } } }), unbounded, pdb('a')] }).audit;
    expect(by(tiny, 'connection-budget')[0].problem).toMatch(/even if each reaches a single database as a single role, they can open 63 server connections on the primary, .*; the poolers can open 0 server connections on one standby/);
    // Unbounded, but one pair each fits: no lower-bound sentence.
    const roomy = audit({ 'c.yaml': [cluster('pg', { postgresql: { parameters: { max_connections: '1000' } } }), unbounded, pdb('a')] }).audit;
    expect(by(roomy, 'connection-budget').map((x) => /even if/.test(x.problem))).toEqual([false]);
  });

  test('connection-budget: nothing when a limit cannot be read, even for an unbounded pooler (no bound whatever the limits)', () => {
    const unbounded = pooler('a', { instances: 3, pgbouncer: { poolMode: 'transaction', pg_hba: TLS_HBA, parameters: { default_pool_size: '20' } } });
    const budget = (parameters: any) => by(audit({ 'c.yaml': [cluster('pg', { postgresql: { parameters } }), unbounded, pdb('a')] }).audit, 'connection-budget').length;
    expect(budget({ max_connections: '1000' })).toBe(1);
    expect(budget({ max_connections: '${MAX}' })).toBe(0);
    expect(budget({ max_connections: '1000', superuser_reserved_connections: 'three' })).toBe(0);
  });

  test('connection-budget: nothing for a cluster without poolers, even with max_connections below the reserves; nothing for a pooler whose pools cannot be read', () => {
    expect(by(audit({ 'c.yaml': [cluster('pg', { postgresql: { parameters: { max_connections: '5' } } })] }).audit, 'connection-budget')).toEqual([]);
    const unreadable = pooler('a', { pgbouncer: { poolMode: 'transaction', pg_hba: TLS_HBA, parameters: { default_pool_size: 'ten' } } });
    expect(by(audit({ 'c.yaml': [cluster('pg', { postgresql: { parameters: { max_connections: '5' } } }), unreadable, pdb('a')] }).audit, 'connection-budget')).toEqual([]);
    // One unreadable pooler among readable ones: the cluster's budget is not judged on part of its poolers.
    expect(by(audit({ 'c.yaml': [cluster('pg', { postgresql: { parameters: { max_connections: '5' } } }), unreadable, pooler('b'), pdb('a'), pdb('b')] }).audit, 'connection-budget')).toEqual([]);
    const noSpec = { apiVersion: CNPG, kind: 'Cluster', metadata: { name: 'pg', namespace: 'databases' } };
    const noCluster = { ...pooler('b'), spec: { instances: 3 } };
    const w = audit({ 'c.yaml': [noSpec, pooler('a'), pdb('a'), noCluster] }).audit;
    expect(by(w, 'connection-budget').map((f) => f.value)).toEqual(['"(unset: 100)"']);
  });

  test('connection-budget: nothing when the budget fits, when a parameter is not a plain number, or when the poolers are another cluster\'s or namespace\'s', () => {
    const p = pooler('a', {
      instances: 3,
      pgbouncer: { poolMode: 'transaction', parameters: { default_pool_size: '5', max_db_connections: '5' }, pg_hba: [...TLS_HBA, 'hostssl app app all scram-sha-256', 'host all all all reject'] },
    });
    const budget = (c: any, ...more: any[]) => by(audit({ 'c.yaml': [c, p, pdb('a'), ...more] }).audit, 'connection-budget').length;
    expect(budget(cluster('pg', { postgresql: { parameters: { max_connections: '20' } } }))).toBe(1);
    expect(budget(cluster('pg', { postgresql: { parameters: { max_connections: '100' } } }))).toBe(0);
    expect(budget(cluster('pg', { postgresql: { parameters: { max_connections: '${MAX}' } } }))).toBe(0);
    // Digits only: Number() would read ' 20', '20 ' and '0x14' as 20.
    for (const written of [' 20', '20 ', '0x14', '2e1']) expect(budget(cluster('pg', { postgresql: { parameters: { max_connections: written } } }))).toBe(0);
    expect(budget(cluster('pg', { postgresql: { parameters: { max_connections: '20', superuser_reserved_connections: 'x' } } }))).toBe(0);
    expect(budget(cluster('pg', { postgresql: { parameters: { max_connections: '20', superuser_reserved_connections: '1' } } }))).toBe(1);
    expect(budget(cluster('other', { postgresql: { parameters: { max_connections: '20' } } }))).toBe(0);
    expect(budget(cluster('pg', { postgresql: { parameters: { max_connections: '20' } } }, 'apps'))).toBe(0);
  });

  test('operator-namespace: data-plane objects and what serves them, in the operator\'s namespace (option or cnpg-system)', () => {
    const ns = 'cnpg-system';
    const c = cluster('pg', { backup: { barmanObjectStore: { destinationPath: 's3://b/', s3Credentials: { accessKeyId: { name: 's3-creds', key: 'id' }, secretAccessKey: { name: 's3-creds', key: 'key' } } } } }, ns);
    const es = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'es', namespace: ns }, spec: { target: { name: 's3-creds' } } };
    const esUnrelated = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'other', namespace: ns }, spec: { target: { name: 'other' } } };
    const esByName = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 's3-creds', namespace: ns }, spec: {} };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's3-creds', namespace: ns } };
    const pdbOfPg = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: ns }, spec: { selector: { matchLabels: { 'cnpg.io/cluster': 'pg' } } } };
    const pdbOther = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb2', namespace: ns }, spec: { selector: { matchLabels: { app: 'x' } } } };
    const netpol = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: ns }, spec: { podSelector: { matchLabels: { 'cnpg.io/cluster': 'pg' } } } };
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'check', namespace: ns },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 's3-creds', key: 'id' } } }] }] } } },
    };
    const jobUnrelated = { ...job, metadata: { name: 'other-job', namespace: ns }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } } };
    const cm = configMap('cm', { k: 'v' }, ns);
    // What else serves the data plane, or does not: a PodDisruptionBudget with one cnpg.io label among others; a Secret
    // the Cluster pulls images with (a list); a Job mounting it (secretName); a Secret named as the Pooler's cluster (no
    // Secret reference); objects without spec.
    c.spec.imagePullSecrets = [{ name: 'registry' }];
    const pdbMixed = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb3', namespace: ns }, spec: { selector: { matchLabels: { 'app': 'x', 'cnpg.io/poolerName': 'p' } } } };
    const registry = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry', namespace: ns } };
    const mounting = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'mount', namespace: ns },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }], volumes: [{ name: 'v', secret: { secretName: 'registry' } }] } } },
    };
    const poolerHere = { ...pooler('p', {}, ns), spec: { ...pooler('p').spec, cluster: { name: 'pg' } } };
    const namedAsCluster = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pg', namespace: ns } };
    const esNoSpec = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'bare', namespace: ns } };
    const pdbNoSpec = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb4', namespace: ns } };
    const npNoSpec = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np2', namespace: ns } };
    const npNoSelector = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np3', namespace: ns }, spec: { policyTypes: ['Ingress'] } };
    const w = audit({
      'o.yaml': [c, es, esUnrelated, esByName, secret, pdbOfPg, pdbOther, netpol, job, jobUnrelated, cm, pdbMixed, registry, mounting, poolerHere, namedAsCluster, esNoSpec, pdbNoSpec, npNoSpec, npNoSelector],
    });
    const found = by(w.audit, 'operator-namespace');
    expect(found.map((f) => `${f.kind}/${f.name}`)).toEqual([
      'Cluster/pg', 'ExternalSecret/es', 'ExternalSecret/s3-creds', 'Secret/s3-creds', 'PodDisruptionBudget/pdb', 'NetworkPolicy/np', 'Job/check',
      'PodDisruptionBudget/pdb3', 'Secret/registry', 'Job/mount', 'Pooler/p',
    ]);
    expect(found.every((f) => f.severity === AuditSeverity.ERROR && f.path === 'metadata.namespace' && f.value === '"cnpg-system"')).toBe(true);
    // Another operator namespace: nothing there.
    expect(by(audit({ 'o.yaml': [c, es] }, { operatorNamespace: 'operators' }).audit, 'operator-namespace')).toEqual([]);
    expect(by(audit({ 'o.yaml': [cluster('pg', {}, 'operators')] }, { operatorNamespace: 'operators' }).audit, 'operator-namespace').map((f) => f.value)).toEqual(['"operators"']);
  });

  test('superuser-access: a Secret or ExternalSecret of the superuser credential while access is off', () => {
    const ns = 'databases';
    const es = (name: string, target?: string, namespace = ns) => ({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name, namespace }, spec: target ? { target: { name: target } } : {} });
    const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns } });
    const objects = [
      cluster('pg', { superuserSecret: { name: 'custom-su' } }),
      es('a', 'pg-superuser'), es('pg-superuser'), es('b', 'custom-su'), es('c', 'pg-superuser', 'apps'), es('d', 'app-credentials'),
      secret('pg-superuser'), secret('other'),
    ];
    const w = audit({ 'o.yaml': objects });
    const found = by(w.audit, 'superuser-access');
    expect(found.map((f) => [f.severity, `${f.kind}/${f.name}`, f.path, f.value])).toEqual([
      // The Cluster's own finding (src/checks/superuser.ts), then those across objects.
      [AuditSeverity.WARNING, 'Cluster/pg', 'spec.superuserSecret', '"custom-su"'],
      [AuditSeverity.WARNING, 'ExternalSecret/a', 'spec.target.name', '"pg-superuser"'],
      [AuditSeverity.WARNING, 'ExternalSecret/pg-superuser', 'spec.target.name', '"pg-superuser"'],
      [AuditSeverity.WARNING, 'ExternalSecret/b', 'spec.target.name', '"custom-su"'],
      [AuditSeverity.WARNING, 'Secret/pg-superuser', 'metadata.name', '"pg-superuser"'],
    ]);
    expect(found[1].problem).toBe('writes a superuser credential for the Cluster pg, whose enableSuperuserAccess is off: the operator does not use it, yet it stays readable in the namespace');
    expect(found[1].fix).toBe('remove it (and spec.superuserSecret from the Cluster), or enable superuser access deliberately');
    // Matched by kind: a ConfigMap of that name is no credential, and a Secret by its name only.
    const named = { ...configMap('pg-superuser', {}), metadata: { name: 'pg-superuser', namespace: ns } };
    const strayTarget = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'unrelated', namespace: ns }, spec: { target: { name: 'pg-superuser' } } };
    const noSpec = { apiVersion: CNPG, kind: 'Cluster', metadata: { name: 'app', namespace: ns } };
    const notACluster = { ...configMap('svc', {}), metadata: { name: 'svc', namespace: ns } };
    const others = audit({ 'o.yaml': [cluster('pg'), named, strayTarget, noSpec, es('e'), secret('app-superuser'), notACluster, secret('svc-superuser')] }).audit;
    expect(by(others, 'superuser-access').map((f) => `${f.kind}/${f.name} ${f.path}`)).toEqual(['Secret/app-superuser metadata.name']);
    const on = audit({ 'o.yaml': [cluster('pg', { enableSuperuserAccess: true }), es('a', 'pg-superuser')] }).audit;
    expect(by(on, 'superuser-access').map((f) => f.path)).toEqual(['spec.enableSuperuserAccess']);
  });
});

describe('the findings together', () => {
  test('by file, then line, then severity (error, warning, note), whatever order the rules found them in', () => {
    // Found in this order: the Pooler's note (line 1), the Cluster's deprecated field, b.yaml's note, then the
    // rules across objects: the Pooler's missing PodDisruptionBudget (line 1), the Cluster's missing backups.
    const withVariable = pooler('p', { cluster: { name: 'other' } });
    withVariable.metadata.labels = { team: '${TEAM}' };
    const archiving = cluster('pg', { backup: { barmanObjectStore: { destinationPath: 's3://b/', s3Credentials: { inheritFromIAMRole: true } } } });
    const w = audit({
      'a.yaml': [withVariable, archiving],
      'b.yaml': [pooler('q', { cluster: { name: 'other' } }), configMap('b', { k: '${X^^}' }), configMap('c', { k: '${X^^}' }), configMap('d', { k: '${X^^}' })],
    });
    expect(w.audit.findings.map((f) => [path.basename(f.file), f.line, f.severity, f.ruleId])).toEqual([
      ['a.yaml', 1, AuditSeverity.WARNING, 'pooler-pdb'],
      ['a.yaml', 1, AuditSeverity.NOTE, 'flux-variable-unresolved'],
      ['a.yaml', 45, AuditSeverity.ERROR, 'backup-missing'],
      ['a.yaml', 45, AuditSeverity.WARNING, 'deprecated-field'],
      ['b.yaml', 1, AuditSeverity.WARNING, 'pooler-pdb'],
      ['b.yaml', 38, AuditSeverity.NOTE, 'flux-variable-unresolved'],
      ['b.yaml', 46, AuditSeverity.NOTE, 'flux-variable-unresolved'],
      ['b.yaml', 54, AuditSeverity.NOTE, 'flux-variable-unresolved'],
    ]);
    expect([w.audit.errorCount, w.audit.warningCount]).toEqual([1, 3]);
  });

  test('the refused objects are matched by file, kind, namespace and name', () => {
    const bad = cluster('pg', { instances: 'three' });
    const sameNameElsewhere = cluster('pg', {}, 'apps');
    const w = audit({ 'a.yaml': [bad], 'b.yaml': [cluster('pg')], 'c.yaml': [sameNameElsewhere] });
    expect(w.audit.refusedObjects.map((o) => [path.basename(o.file), o.namespace])).toEqual([['a.yaml', 'databases']]);
    const noNamespace = cluster('pg', { instances: 'three' });
    delete noNamespace.metadata.namespace;
    const w2 = audit({ 'a.yaml': [noNamespace] });
    expect(w2.audit.refusedObjects.map((o) => [o.name, o.namespace])).toEqual([['pg', undefined]]);
  });

  test('the reports: text, JSON and SARIF of these findings', () => {
    const w = audit({ 'a.yaml': [cluster('pg', { instances: 'three' })] });
    expect(w.audit.toText()).toMatch(/^cnpg-constructs audit: 1 objects in 1 files, CloudNativePG 1\.27\.0, no settings/);
    expect(w.audit.toText()).toMatch(/a\.yaml:7 Cluster databases\/pg\n  error   crd-schema: spec\.instances = "three"/);
    expect(JSON.parse(w.audit.toJson()).findings.map((f: any) => f.ruleId)).toEqual(['crd-schema']);
    expect(JSON.parse(w.audit.toSarif()).runs[0].results.map((r: any) => r.ruleId)).toEqual(['crd-schema']);
    expect(ManifestAudit.rules().map((r) => r.id)).toContain('connection-budget');
    expect(ManifestAudit.rules()).not.toBe(ManifestAudit.rules());
  });
});
