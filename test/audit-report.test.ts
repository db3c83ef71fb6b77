import * as fs from 'fs';
import * as path from 'path';
import { AuditedObject, AuditFinding, AuditSeverity, SkippedDocument } from '../src/audit/finding';
import { AuditData, auditJson, auditSarif, auditText, packageVersion, REPORT_SCHEMA_VERSION } from '../src/audit/report';
import { AUDIT_RULES } from '../src/audit/rules';
import { CnpgVersion } from '../src/versions/cnpg-version';

/**
 * The audit's three reports (src/audit/report.ts) on audit data written here, each report whole:
 * nothing is audited, so every expected line is the report's own format.
 */

const INFO_URI = 'https://github.com/platform/cnpg-constructs/blob/main/docs/guides/audit.md';

const cluster: AuditedObject = { file: 'apps/cluster.yaml', line: 1, apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', name: 'pg', namespace: 'db', schemaChecked: true };
const cm: AuditedObject = { file: 'apps/cm.yaml', line: 3, apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', schemaChecked: false };
const w1: AuditedObject = { file: 'apps/w.yaml', line: 1, apiVersion: 'example.com/v1', kind: 'Widget', name: 'w1', namespace: 'db', schemaChecked: false };
const w2: AuditedObject = { file: 'apps/w.yaml', line: 9, apiVersion: 'example.com/v1', kind: 'Widget', name: 'w2', schemaChecked: false };

const finding = (f: Partial<AuditFinding> & Pick<AuditFinding, 'severity' | 'ruleId' | 'line' | 'problem' | 'fix'>): AuditFinding =>
  ({ kind: 'Cluster', name: 'pg', namespace: 'db', file: 'apps/cluster.yaml', path: '', ...f });

const FINDINGS: AuditFinding[] = [
  finding({ severity: AuditSeverity.ERROR, ruleId: 'crd-schema', line: 7, path: 'spec.instances', value: '"3"', problem: 'is a string, not an integer', fix: 'write 3' }),
  finding({ severity: AuditSeverity.WARNING, ruleId: 'deprecated-field', line: 9, path: 'spec.minSyncReplicas', problem: 'is deprecated', fix: 'use dataDurability' }),
  finding({
    severity: AuditSeverity.NOTE,
    ruleId: 'flux-variable-unresolved',
    kind: 'ConfigMap',
    name: 'cm',
    namespace: undefined,
    file: 'apps/cm.yaml',
    line: 3,
    value: '${A} ${B}',
    problem: 'holds Flux variables',
    fix: 'pass --settings',
  }),
  finding({ severity: AuditSeverity.ERROR, ruleId: 'yaml', kind: '', name: '', namespace: undefined, file: 'apps/bad.yaml', line: 2, problem: 'is not valid YAML', fix: 'fix it' }),
  // The same kind and name in another namespace, then in another file, then the first object again: a block each.
  finding({ severity: AuditSeverity.ERROR, ruleId: 'crd-schema', namespace: 'other', line: 30, path: 'spec', problem: 'needs instances', fix: 'add them' }),
  finding({ severity: AuditSeverity.ERROR, ruleId: 'crd-schema', file: 'apps/cluster2.yaml', line: 4, path: 'spec', problem: 'needs storage', fix: 'add it' }),
  finding({ severity: AuditSeverity.ERROR, ruleId: 'fixed-parameter', line: 12, path: 'spec.postgresql.parameters.ssl', value: '"on"', problem: 'cannot be set', fix: 'remove it' }),
  // Another name, same object otherwise.
  finding({ severity: AuditSeverity.WARNING, ruleId: 'pooler-pdb', kind: 'Cluster', name: 'pg2', line: 12, problem: 'has no PodDisruptionBudget', fix: 'add one' }),
];

const SKIPPED: SkippedDocument[] = [
  { file: 'apps/kustomization.yaml', line: 1, reason: 'a kustomize Kustomization (kustomize.config.k8s.io/v1beta1): build input, not an object of the cluster' },
  { file: 'apps/cm.yaml', line: 12, reason: 'not a Kubernetes object (not a mapping)' },
];

const FULL: AuditData = {
  findings: FINDINGS,
  objects: [cluster, cm, w1, w2],
  skipped: SKIPPED,
  files: ['apps/bad.yaml', 'apps/cluster.yaml', 'apps/cm.yaml'],
  operatorVersion: CnpgVersion.V1_27_1,
  settingsFile: 'infra/settings.yaml',
  refusedObjects: [cluster, cm],
};

const EMPTY: AuditData = { findings: [], objects: [], skipped: [], files: [], operatorVersion: CnpgVersion.V1_30_0, refusedObjects: [] };

describe('the text report', () => {
  test('a block per object in the order of the findings, the skipped documents, the kinds without a schema, the refused objects, the counts', () => {
    expect(auditText(FULL)).toBe([
      'cnpg-constructs audit: 4 objects in 3 files, CloudNativePG 1.27.1, Flux variables from infra/settings.yaml',
      '  skipped apps/kustomization.yaml:1: a kustomize Kustomization (kustomize.config.k8s.io/v1beta1): build input, not an object of the cluster',
      '  skipped apps/cm.yaml:12: not a Kubernetes object (not a mapping)',
      '  no schema for: v1 ConfigMap (1), example.com/v1 Widget (2): their other rules still apply',
      '',
      'apps/cluster.yaml:7 Cluster db/pg',
      '  error   crd-schema: spec.instances = "3" is a string, not an integer.',
      '          Fix: write 3',
      '  warning deprecated-field: spec.minSyncReplicas is deprecated.',
      '          Fix: use dataDurability',
      '',
      'apps/cm.yaml:3 ConfigMap cm',
      '  note    flux-variable-unresolved: ${A} ${B} holds Flux variables.',
      '          Fix: pass --settings',
      '',
      'apps/bad.yaml:2',
      '  error   yaml: is not valid YAML.',
      '          Fix: fix it',
      '',
      'apps/cluster.yaml:30 Cluster other/pg',
      '  error   crd-schema: spec needs instances.',
      '          Fix: add them',
      '',
      'apps/cluster2.yaml:4 Cluster db/pg',
      '  error   crd-schema: spec needs storage.',
      '          Fix: add it',
      '',
      'apps/cluster.yaml:12 Cluster db/pg',
      '  error   fixed-parameter: spec.postgresql.parameters.ssl = "on" cannot be set.',
      '          Fix: remove it',
      '',
      'apps/cluster.yaml:12 Cluster db/pg2',
      '  warning pooler-pdb: has no PodDisruptionBudget.',
      '          Fix: add one',
      '',
      '2 of 4 objects are refused by the CRD schemas or the operator\'s webhook of CloudNativePG 1.27.1: Cluster db/pg, ConfigMap cm',
      '5 errors, 2 warnings, 1 notes',
      '',
    ].join('\n'));
  });

  test('nothing found, no settings: the head line and the counts only', () => {
    expect(auditText(EMPTY)).toBe('cnpg-constructs audit: 0 objects in 0 files, CloudNativePG 1.30.0, no settings (Flux variables left as written)\n\n0 errors, 0 warnings, 0 notes\n');
  });

  test('every object with its schema: no "no schema" line', () => {
    const text = auditText({ ...EMPTY, objects: [cluster], files: ['apps/cluster.yaml'] });
    expect(text).toBe('cnpg-constructs audit: 1 objects in 1 files, CloudNativePG 1.30.0, no settings (Flux variables left as written)\n\n0 errors, 0 warnings, 0 notes\n');
  });
});

describe('the JSON report', () => {
  test('every field, objects and findings without their unset fields, the refused objects by file, kind, name and namespace', () => {
    const text = auditJson(FULL);
    expect(text.endsWith('\n}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
    expect(JSON.parse(text)).toStrictEqual({
      schemaVersion: 1,
      tool: { name: 'cnpg-constructs audit', version: packageVersion() },
      operatorVersion: '1.27.1',
      settingsFile: 'infra/settings.yaml',
      summary: { files: 3, objects: 4, refusedObjects: 2, errors: 5, warnings: 2, notes: 1 },
      files: ['apps/bad.yaml', 'apps/cluster.yaml', 'apps/cm.yaml'],
      objects: [cluster, cm, w1, w2],
      skipped: SKIPPED,
      refusedObjects: [{ file: 'apps/cluster.yaml', kind: 'Cluster', name: 'pg', namespace: 'db' }, { file: 'apps/cm.yaml', kind: 'ConfigMap', name: 'cm' }],
      findings: FINDINGS.map((f) => JSON.parse(JSON.stringify(f))),
    });
    expect(JSON.parse(text).findings[2]).toStrictEqual({
      severity: 'note',
      ruleId: 'flux-variable-unresolved',
      kind: 'ConfigMap',
      name: 'cm',
      file: 'apps/cm.yaml',
      path: '',
      line: 3,
      value: '${A} ${B}',
      problem: 'holds Flux variables',
      fix: 'pass --settings',
    });
    expect(REPORT_SCHEMA_VERSION).toBe(1);
  });

  test('without settings: settingsFile null, every count 0', () => {
    const report = JSON.parse(auditJson(EMPTY));
    expect(report.settingsFile).toBeNull();
    expect(report.operatorVersion).toBe('1.30.0');
    expect(report.summary).toStrictEqual({ files: 0, objects: 0, refusedObjects: 0, errors: 0, warnings: 0, notes: 0 });
    expect([report.files, report.objects, report.skipped, report.refusedObjects, report.findings]).toStrictEqual([[], [], [], [], []]);
  });
});

describe('the SARIF report', () => {
  test('the tool: every rule with its name, descriptions, level and help link', () => {
    const sarif = JSON.parse(auditSarif(EMPTY));
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    const driver = sarif.runs[0].tool.driver;
    expect(driver.name).toBe('cnpg-constructs audit');
    expect(driver.version).toBe(packageVersion());
    expect(driver.informationUri).toBe(INFO_URI);
    expect(driver.rules).toHaveLength(AUDIT_RULES.length);
    expect(driver.rules.map((r: any) => `${r.id} ${r.name}`)).toEqual(expect.arrayContaining([
      'yaml Yaml', 'crd-schema CrdSchema', 'flux-variable-unresolved FluxVariableUnresolved', 'pooler-anti-affinity PoolerAntiAffinity',
    ]));
    for (const [i, r] of AUDIT_RULES.entries()) {
      expect(driver.rules[i]).toStrictEqual({
        id: r.id,
        name: r.id.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(''),
        shortDescription: { text: r.description },
        fullDescription: { text: `${r.description} Library check: ${r.libraryCheck}.` },
        defaultConfiguration: { level: r.severity },
        helpUri: `${INFO_URI}#rule-${r.id}`,
      });
    }
    expect(sarif.runs[0].results).toStrictEqual([]);
    expect(sarif.runs[0].properties).toStrictEqual({ operatorVersion: '1.30.0', refusedObjects: 0 });
  });

  test('a result per finding: rule, level, message, location, logical location and properties', () => {
    const text = auditSarif(FULL);
    expect(text.endsWith('\n}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",');
    const run = JSON.parse(text).runs[0];
    expect(run.properties).toStrictEqual({ operatorVersion: '1.27.1', settingsFile: 'infra/settings.yaml', refusedObjects: 2 });
    const index = (id: string) => AUDIT_RULES.findIndex((r) => r.id === id);
    expect(index('crd-schema')).toBeGreaterThan(0);
    expect(run.results[0]).toStrictEqual({
      ruleId: 'crd-schema',
      ruleIndex: index('crd-schema'),
      level: 'error',
      message: { text: 'Cluster db/pg: spec.instances = "3" is a string, not an integer. Fix: write 3' },
      locations: [{
        physicalLocation: { artifactLocation: { uri: 'apps/cluster.yaml' }, region: { startLine: 7 } },
        logicalLocations: [{ fullyQualifiedName: 'Cluster/db/pg/spec.instances', kind: 'object' }],
      }],
      properties: { kind: 'Cluster', name: 'pg', namespace: 'db', path: 'spec.instances', value: '"3"', fix: 'write 3' },
    });
    expect(run.results[1]).toMatchObject({
      ruleId: 'deprecated-field',
      ruleIndex: index('deprecated-field'),
      level: 'warning',
      message: { text: 'Cluster db/pg: spec.minSyncReplicas is deprecated. Fix: use dataDurability' },
    });
    expect(run.results[1].properties).toStrictEqual({ kind: 'Cluster', name: 'pg', namespace: 'db', path: 'spec.minSyncReplicas', fix: 'use dataDurability' });
    // A finding on a whole object (no path) without a namespace.
    expect(run.results[2]).toStrictEqual({
      ruleId: 'flux-variable-unresolved',
      ruleIndex: index('flux-variable-unresolved'),
      level: 'note',
      message: { text: 'ConfigMap cm: ${A} ${B} holds Flux variables. Fix: pass --settings' },
      locations: [{
        physicalLocation: { artifactLocation: { uri: 'apps/cm.yaml' }, region: { startLine: 3 } },
        logicalLocations: [{ fullyQualifiedName: 'ConfigMap/cm', kind: 'object' }],
      }],
      properties: { kind: 'ConfigMap', name: 'cm', path: '', value: '${A} ${B}', fix: 'pass --settings' },
    });
    // A finding about a file: no object, no logical location.
    expect(run.results[3]).toStrictEqual({
      ruleId: 'yaml',
      ruleIndex: 0,
      level: 'error',
      message: { text: 'is not valid YAML. Fix: fix it' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'apps/bad.yaml' }, region: { startLine: 2 } } }],
      properties: { kind: '', name: '', path: '', fix: 'fix it' },
    });
    expect(run.results[4].locations[0].logicalLocations).toStrictEqual([{ fullyQualifiedName: 'Cluster/other/pg/spec', kind: 'object' }]);
    expect(run.results[4].message.text).toBe('Cluster other/pg: spec needs instances. Fix: add them');
    expect(run.results[7].locations[0].logicalLocations).toStrictEqual([{ fullyQualifiedName: 'Cluster/db/pg2', kind: 'object' }]);
    expect(run.results.map((r: any) => r.level)).toEqual(['error', 'warning', 'note', 'error', 'error', 'error', 'error', 'warning']);
  });

  test('a rule the table lacks: ruleIndex -1', () => {
    const run = JSON.parse(auditSarif({ ...EMPTY, findings: [finding({ severity: AuditSeverity.ERROR, ruleId: 'no-such-rule', line: 1, problem: 'p', fix: 'f' })] })).runs[0];
    expect(run.results[0].ruleIndex).toBe(-1);
  });

  test('file URIs: relative to the working directory, forward slashes, percent-encoded', () => {
    const uri = (file: string) => JSON.parse(auditSarif({ ...EMPTY, findings: [finding({ severity: AuditSeverity.ERROR, ruleId: 'yaml', file, line: 1, problem: 'p', fix: 'f' })] }))
      .runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri(path.join(process.cwd(), 'apps', 'my cluster#1.yaml'))).toBe('apps/my%20cluster%231.yaml');
    expect(uri(path.join('apps', 'sub', 'c%.yaml'))).toBe('apps/sub/c%25.yaml');
    expect(uri(path.join(path.dirname(process.cwd()), 'x.yaml'))).toBe('../x.yaml');
  });
});

describe('packageVersion', () => {
  const realFs: typeof fs = jest.requireActual('fs');
  const packageJson = path.resolve(__dirname, '..', 'package.json');

  function withPackageJson(text: () => string, f: () => void) {
    const read = realFs.readFileSync;
    const spy = jest.spyOn(realFs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, ...rest: any[]) =>
      (file === packageJson ? text() : (read as any).call(realFs, file, ...rest))) as typeof read);
    try {
      f();
    } finally {
      spy.mockRestore();
    }
  }

  test('the version of the package\'s package.json', () => {
    expect(packageVersion()).toBe(JSON.parse(realFs.readFileSync(packageJson, 'utf-8')).version);
    withPackageJson(() => '{"name": "x", "version": "1.2.3"}', () => {
      expect(packageVersion()).toBe('1.2.3');
      expect(JSON.parse(auditJson(EMPTY)).tool.version).toBe('1.2.3');
      expect(JSON.parse(auditSarif(EMPTY)).runs[0].tool.driver.version).toBe('1.2.3');
    });
  });

  test('0.0.0 when package.json has no version, is not JSON or cannot be read', () => {
    withPackageJson(() => '{"name": "x"}', () => expect(packageVersion()).toBe('0.0.0'));
    withPackageJson(() => 'not json', () => expect(packageVersion()).toBe('0.0.0'));
    withPackageJson(() => {
      throw new Error('EACCES');
    }, () => expect(packageVersion()).toBe('0.0.0'));
  });
});
