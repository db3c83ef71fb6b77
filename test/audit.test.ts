import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { App } from 'cdk8s';
import { parseAllDocuments, stringify } from 'yaml';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../examples/platform/platform';
import { AuditFinding, AuditSeverity, CnpgVersion, ManifestAudit } from '../src';
import { VENDOR_DIR } from './util/conformance';
import { alertRules, dailyBackup, dashboards, monitoredCluster, TWO_POOLERS } from './util/monitoring-fixture';
import { checkRestricted } from './util/pod-security';
import { parsePromql, withoutGrafanaVariables } from './util/promql';
import { main } from '../src/audit/cli';
import { podSecurityProblems } from '../src/checks/pod-security';
import { promqlMetricNames } from '../src/checks/promql-metrics';
import { dashboardExpressions } from '../src/monitoring/dashboards';

const REFERENCE = path.join(VENDOR_DIR, 'reference', 'k8s-gitops', 'kubernetes');
const WORKLOADS = path.join(REFERENCE, 'workloads', 'platform', 'databases', 'cloudnative-pg');
const SETTINGS = path.join(REFERENCE, 'clusters', 'infra', 'cluster-settings.yaml');
const ROOT = path.resolve(__dirname, '..');

const by = (a: ManifestAudit, ruleId: string) => a.findings.filter((f) => f.ruleId === ruleId);
const at = (f: AuditFinding) => `${f.kind}/${f.name}`;

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-audit-'));
}

describe('the reference manifests (vendor/reference), as the platform applies them with its cluster-settings', () => {
  const audit = ManifestAudit.ofPaths([WORKLOADS], { settingsFile: SETTINGS });

  test('20 objects read; kustomization.yaml skipped and said so; the operator release from CNPG_OPERATOR_VERSION (chart 0.26.1)', () => {
    expect(audit.objects).toHaveLength(20);
    expect(audit.skipped.map((s) => path.basename(s.file))).toEqual(['kustomization.yaml']);
    expect(audit.skipped[0].reason).toMatch(/kustomize Kustomization/);
    expect(audit.operatorVersion.release).toBe('1.27.1');
  });

  test('the 7 objects the real API server and operator refuse (shared/notes/real-systems.md), for the same reasons', () => {
    expect(audit.refusedObjects.map((o) => `${o.kind}/${o.name}`).sort()).toEqual([
      'Cluster/shared-postgres', 'Database/gitlab', 'Database/harbor',
      'Pooler/gitlab-pooler', 'Pooler/harbor-pooler', 'Pooler/keycloak-pooler', 'Pooler/synergyflow-pooler',
    ]);
    const schema = by(audit, 'crd-schema');
    // Pooler template without containers.
    expect(schema.filter((f) => f.path === 'spec.template.spec.containers').map(at).sort())
      .toEqual(['Pooler/gitlab-pooler', 'Pooler/harbor-pooler', 'Pooler/keycloak-pooler', 'Pooler/synergyflow-pooler']);
    // passwordSecret.key, unknown to the Cluster CRD (refused under server-side apply).
    expect(schema.filter((f) => /passwordSecret\.key$/.test(f.path))).toHaveLength(3);
    // Database extensions as strings.
    expect(schema.filter((f) => f.kind === 'Database').map((f) => `${f.name} ${f.path}`)).toEqual([
      'harbor spec.extensions[0]', 'gitlab spec.extensions[0]', 'gitlab spec.extensions[1]', 'gitlab spec.extensions[2]', 'gitlab spec.extensions[3]',
    ]);
    expect(schema.find((f) => f.kind === 'Database')!.fix).toBe('write an object with its required field name, e.g. {name: "uuid-ossp"}');
    // Fixed parameters, in the words of PostgresParameters.additional.
    expect(by(audit, 'fixed-parameter').map((f) => f.path)).toEqual(['spec.postgresql.parameters.ssl', 'spec.postgresql.parameters.ssl_prefer_server_ciphers']);
    expect(by(audit, 'fixed-parameter')[0].problem).toMatch(/webhook rejects it \("Can't set fixed configuration parameter"\)/);
  });

  test('superuser access, and the data plane in cnpg-system (every CNPG object, the Secrets, PDBs and the job that serve it; not the VMRule)', () => {
    expect(by(audit, 'superuser-access').map((f) => `${at(f)} ${f.path}`)).toEqual(['Cluster/shared-postgres spec.enableSuperuserAccess']);
    const ns = by(audit, 'operator-namespace');
    expect(ns.every((f) => f.problem === 'is the operator\'s namespace' && f.value === '"cnpg-system"')).toBe(true);
    expect(ns.map((f) => f.kind).sort()).toEqual([
      'Cluster', 'CronJob', 'Database', 'Database', 'Database',
      'ExternalSecret', 'ExternalSecret', 'ExternalSecret', 'ExternalSecret', 'ExternalSecret',
      'PodDisruptionBudget', 'PodDisruptionBudget', 'PodDisruptionBudget', 'PodDisruptionBudget',
      'Pooler', 'Pooler', 'Pooler', 'Pooler', 'ScheduledBackup',
    ]);
  });

  test('the alert rules read 11 metrics CloudNativePG does not export', () => {
    const metrics = by(audit, 'alert-metric').map((f) => /reads (\S+),/.exec(f.problem)![1]).sort();
    expect(metrics).toEqual([
      'cnpg_pg_backup_last_status', 'cnpg_pg_backup_last_successful_timestamp', 'cnpg_pg_cluster_instances', 'cnpg_pg_cluster_ready',
      'cnpg_pg_cluster_role', 'cnpg_pg_stat_database_numbackends', 'cnpg_pg_stat_replication_sync_state', 'cnpg_pg_stat_user_tables_n_dead_tup',
      'cnpg_pg_wal_generated_bytes_total', 'cnpg_pgbouncer_config_default_pool_size', 'cnpg_pgbouncer_config_max_client_conn',
    ]);
    expect(by(audit, 'alert-metric').every((f) => f.kind === 'VMRule' && /the alert never fires/.test(f.problem))).toBe(true);
  });

  test('deprecated fields of 1.27.1: the in-tree barmanObjectStore (Cluster and ScheduledBackup), enablePodMonitor (the Cluster\'s field, the Pooler\'s whole spec.monitoring: what the 1.27.1 CRDs mark)', () => {
    expect(by(audit, 'deprecated-field').map((f) => `${at(f)} ${f.path}`).sort()).toEqual([
      'Cluster/shared-postgres spec.backup.barmanObjectStore',
      'Cluster/shared-postgres spec.monitoring.enablePodMonitor',
      'Pooler/gitlab-pooler spec.monitoring',
      'Pooler/harbor-pooler spec.monitoring',
      'Pooler/keycloak-pooler spec.monitoring',
      'Pooler/synergyflow-pooler spec.monitoring',
      'ScheduledBackup/shared-postgres-backup spec.method',
    ]);
    // 1.27.0's CRDs mark neither.
    const older = ManifestAudit.ofPaths([WORKLOADS], { settingsFile: SETTINGS, operatorVersion: CnpgVersion.V1_27_0 });
    expect(by(older, 'deprecated-field').filter((f) => /monitoring/.test(f.path))).toEqual([]);
  });

  test('poolers: three replicas (CNPG_POOLER_REPLICAS), anti-affinity and PDBs are there; TLS is not enforced; the budget does not fit', () => {
    expect(by(audit, 'pooler-instances')).toEqual([]);
    expect(by(audit, 'pooler-anti-affinity')).toEqual([]);
    expect(by(audit, 'pooler-pdb')).toEqual([]);
    expect(by(audit, 'pooler-tls').map(at).sort()).toEqual(['Pooler/gitlab-pooler', 'Pooler/harbor-pooler', 'Pooler/keycloak-pooler', 'Pooler/synergyflow-pooler']);
    const budget = by(audit, 'connection-budget');
    expect(budget).toHaveLength(1);
    expect(budget[0].problem).toContain('accept every database and role');
    // 3 × (25+10+1) + 3 × (15+5+1) + 3 × (20+5+1) + 3 × (10+5+1) with one database/role pair each.
    expect(budget[0].problem).toContain('they can open 297 server connections on the primary, more than the max_connections 200 − superuser_reserved_connections 3 − reservedConnections 10 = 187');
  });

  test('Flux would blank the validation script\'s shell variables: the settings define none of them', () => {
    const f = by(audit, 'flux-variable');
    expect(f.map(at)).toEqual(['CronJob/cnpg-backup-validation']);
    expect(f[0].path).toBe('spec.jobTemplate.spec.template.spec.containers[0].command[2]');
    expect(f[0].value).toBe('"${S3_ENDPOINT} ${S3_ACCESS_KEY} ${S3_SECRET_KEY} ${BUCKET_NAME} ${BACKUP_COUNT} ${RECENT_BACKUP} ${WAL_COUNT}"');
  });

  test('as written, the reference has no five-field schedule (its settings give "0 0 2 * * *"), no root job, no minSyncReplicas', () => {
    expect(by(audit, 'backup-schedule')).toEqual([]);
    expect(by(audit, 'pod-security')).toEqual([]);
    expect(by(audit, 'deprecated-field').filter((f) => /SyncReplicas/.test(f.path))).toEqual([]);
    expect(by(audit, 'cluster-settings')).toEqual([]);
  });

  test('each finding names the line of its field', () => {
    const ssl = by(audit, 'fixed-parameter')[0];
    const text = fs.readFileSync(ssl.file, 'utf-8').split('\n');
    expect(text[ssl.line - 1]).toMatch(/^\s+ssl: "on"/);
    const metric = by(audit, 'alert-metric')[0];
    expect(fs.readFileSync(metric.file, 'utf-8').split('\n')[metric.line - 1]).toMatch(/expr: cnpg_pg_cluster_ready/);
  });

  test('the text report: one block per object, the refused objects and the counts', () => {
    const text = audit.toText();
    expect(text).toContain('7 of 20 objects are refused by the CRD schemas or the operator\'s webhook of CloudNativePG 1.27.1');
    expect(text).toMatch(/\n\S+cluster\.yaml:\d+ Cluster cnpg-system\/shared-postgres\n/);
    expect(text).toMatch(/error {3}fixed-parameter: spec\.postgresql\.parameters\.ssl = "on" cannot be set/);
    expect(text.trimEnd().split('\n').pop()).toBe(`${audit.errorCount} errors, ${audit.warningCount} warnings, 0 notes`);
  });

  test('without settings: Flux variables stay, fields holding one are not checked, and a note says so', () => {
    const raw = ManifestAudit.ofPaths([WORKLOADS]);
    expect(raw.operatorVersion).toBe(CnpgVersion.DEFAULT);
    expect(by(raw, 'crd-schema').filter((f) => (f.value ?? '').includes('${'))).toEqual([]);
    expect(by(raw, 'flux-variable-unresolved').length).toBeGreaterThan(10);
    expect(by(raw, 'flux-variable-unresolved').every((f) => f.severity === AuditSeverity.NOTE)).toBe(true);
    expect(raw.refusedObjects.map((o) => o.name).sort()).toEqual(['${CNPG_SHARED_CLUSTER_NAME}', 'gitlab', 'gitlab-pooler', 'harbor', 'harbor-pooler', 'keycloak-pooler', 'synergyflow-pooler']);
  });
});

/**
 * The reference as the issue describes it: the cluster-settings with the crontab schedule
 * "0 2 * * *" (what the real operator ran hourly, real-systems.md), the validation job as root with
 * added capabilities, and the legacy minSyncReplicas/maxSyncReplicas. A copy of vendor/reference
 * with those three changes, written here.
 */
function referenceAsTheIssueDescribes(): { dir: string; settings: string } {
  const dir = tmpdir();
  fs.cpSync(WORKLOADS, path.join(dir, 'cloudnative-pg'), { recursive: true });
  const settingsText = fs.readFileSync(SETTINGS, 'utf-8').replace('CNPG_BACKUP_SCHEDULE: "0 0 2 * * *"', 'CNPG_BACKUP_SCHEDULE: "0 2 * * *"');
  expect(settingsText).toContain('"0 2 * * *"');
  const settings = path.join(dir, 'cluster-settings.yaml');
  fs.writeFileSync(settings, settingsText);
  const edit = (rel: string, f: (obj: any) => void) => {
    const file = path.join(dir, 'cloudnative-pg', rel);
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf-8')).map((d) => d.toJS());
    docs.forEach((d) => d && f(d));
    fs.writeFileSync(file, docs.filter((d) => d).map((d) => stringify(d)).join('---\n'));
  };
  edit('shared-cluster/backup-validation.yaml', (cj) => {
    const pod = cj.spec.jobTemplate.spec.template.spec;
    pod.securityContext = { runAsUser: 0 };
    pod.containers[0].securityContext = { capabilities: { add: ['NET_ADMIN', 'SYS_PTRACE'] } };
  });
  edit('shared-cluster/cluster.yaml', (c) => {
    delete c.spec.postgresql.synchronous;
    c.spec.minSyncReplicas = 1;
    c.spec.maxSyncReplicas = 2;
  });
  return { dir, settings };
}

describe('the reference as the issue describes it (five-field schedule, root job, legacy synchronous replication)', () => {
  const { dir, settings } = referenceAsTheIssueDescribes();
  const audit = ManifestAudit.ofPaths([dir], { settingsFile: settings });

  test('the five-field schedule, with the times the operator\'s parser really fires it, from the settings', () => {
    const f = by(audit, 'backup-schedule');
    expect(f.map(at)).toEqual(['ScheduledBackup/shared-postgres-backup']);
    expect(f[0].value).toBe('"0 2 * * *"');
    expect(f[0].problem).toContain('has 5 fields; CloudNativePG reads six with the seconds first');
    expect(f[0].problem).toContain('24 backups on each day it fires, the first at 00:02:00 UTC');
    expect(f[0].problem).toContain('the operator would run it at 2026-01-01T00:02:00Z, 2026-01-01T01:02:00Z, 2026-01-01T02:02:00Z, 2026-01-01T03:02:00Z');
    expect(f[0].problem).toContain('(from ${CNPG_BACKUP_SCHEDULE} in ');
    expect(f[0].fix).toContain('"0 0 2 * * *"');
    // The settings key itself, as ClusterSettings refuses it.
    expect(by(audit, 'cluster-settings').map((x) => x.path)).toEqual(['data.CNPG_BACKUP_SCHEDULE']);
  });

  test('the validation job runs as root with added capabilities', () => {
    const f = by(audit, 'pod-security');
    expect(f.every((x) => at(x) === 'CronJob/cnpg-backup-validation')).toBe(true);
    expect(f.map((x) => x.problem)).toEqual(expect.arrayContaining([
      'runs the pod as root (UID 0)',
      'adds the Linux capabilities NET_ADMIN, SYS_PTRACE to container "validate", which Pod Security "restricted" refuses',
    ]));
  });

  test('synchronous replication through minSyncReplicas/maxSyncReplicas, where dataDurability is available', () => {
    const f = by(audit, 'deprecated-field').filter((x) => /SyncReplicas/.test(x.path));
    expect(f.map((x) => `${at(x)} ${x.path}`)).toEqual(['Cluster/shared-postgres spec.minSyncReplicas']);
    expect(f[0].problem).toContain('(minSyncReplicas, maxSyncReplicas) is the legacy synchronous replication');
  });
});

describe('the Cluster webhook\'s rules (src/checks/cluster-rules.ts, which the real webhooks judge)', () => {
  test('an image with the latest tag and min_wal_size above max_wal_size: refused, in the rule\'s words', () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'cluster.yaml'), stringify({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'pg', namespace: 'databases' },
      spec: { instances: 3, imageName: 'ghcr.io/cloudnative-pg/postgresql:latest', storage: { size: '1Gi' }, postgresql: { parameters: { min_wal_size: '2GB', max_wal_size: '1GB' } } },
    }));
    const audit = ManifestAudit.ofPaths([dir]);
    expect(by(audit, 'cluster-webhook').map((f) => `${f.path}: ${f.problem}`)).toEqual([
      'spec.imageName: uses the "latest" tag, which CloudNativePG refuses ("can\'t detect upgrades")',
      expect.stringMatching(/^spec\.postgresql\.parameters\.min_wal_size: is not smaller than max_wal_size \(1GB\)/),
    ]);
    expect(audit.refusedObjects.map((o) => o.name)).toEqual(['pg']);
  });
});

describe('expressions Flux\'s envsubst cannot parse', () => {
  test('an error (Flux fails the whole Kustomization), with or without the settings; a form it reads but the audit does not evaluate stays a note', () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'cm.yaml'), stringify({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'databases' }, data: { dash: '${TEAM-x}', upper: '${TEAM^^}' },
    }));
    for (const audit of [ManifestAudit.ofPaths([dir]), ManifestAudit.ofPaths([dir], { settingsFile: REFERENCE_SETTINGS_FILE })]) {
      expect(by(audit, 'flux-variable').map((f) => ({ severity: f.severity, path: f.path, value: f.value, problem: f.problem, fix: f.fix }))).toEqual([{
        severity: AuditSeverity.ERROR,
        path: 'data.dash',
        value: '"${TEAM-x}"',
        problem: 'is an expression Flux\'s envsubst cannot parse ("-" after the name starts none of its functions): Flux fails the whole Kustomization',
        fix: 'write ${VAR}, ${VAR:=default} or ${VAR:-default} (with a colon); for a literal "${" write "$${"',
      }]);
      expect(by(audit, 'flux-variable-unresolved').filter((f) => f.path !== '').map((f) => [f.severity, f.path, f.value]))
        .toEqual([[AuditSeverity.NOTE, 'data.upper', '"${TEAM^^}"']]);
    }
  });
});

describe('a variable whose value is not one YAML value in its field', () => {
  test('an error at the field (Flux fails the whole Kustomization), with the reader\'s reason and the fix', () => {
    const dir = tmpdir();
    const settings = path.join(tmpdir(), 'cluster-settings.yaml');
    fs.writeFileSync(settings, stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-settings', namespace: 'flux-system' }, data: { MAP: 'a: b', QUOTED: "'a: b'" } }));
    fs.writeFileSync(path.join(dir, 'cm.yaml'), stringify({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'databases' }, data: { quoted: '${QUOTED}', whole: '${MAP}' },
    }));
    const audit = ManifestAudit.ofPaths([dir], { settingsFile: settings });
    expect(by(audit, 'flux-variable').map((f) => ({ severity: f.severity, line: f.line, path: f.path, value: f.value, problem: f.problem, fix: f.fix }))).toEqual([{
      severity: AuditSeverity.ERROR,
      line: 8,
      path: 'data.whole',
      value: '"a: b"',
      problem: 'is not one YAML value once Flux has substituted it (Nested mappings are not allowed in compact mappings): Flux fails the whole Kustomization',
      fix: 'give the variable a value YAML reads as one scalar: quote it in the cluster-settings (\'a: b\' with its quotes) when it is the whole field, or change it',
    }]);
  });
});

describe('the library\'s own output audits clean', () => {
  test.each([undefined, CnpgVersion.V1_30_0])('the reference platform (operatorVersion %s), with its settings', (operatorVersion) => {
    const dir = tmpdir();
    const app = new App({ outdir: dir });
    buildPlatform(app, { operatorVersion });
    app.synth();
    const audit = ManifestAudit.ofPaths([dir], { settingsFile: REFERENCE_SETTINGS_FILE, operatorVersion });
    expect(audit.objects.length).toBeGreaterThan(30);
    expect(audit.findings.map((f) => `${f.ruleId} ${f.kind}/${f.name} ${f.path}: ${f.problem}`)).toEqual([]);
  });
});

describe('the checks as the constructs apply them to objects as written (escape hatches)', () => {
  // One function, two callers: the same sentence at synth and in the audit.
  const platformApp = () => {
    const app = new App({ outdir: tmpdir() });
    const c = buildPlatform(app, { operatorVersion: CnpgVersion.V1_30_0 });
    const find = (kind: string) => c.node.findAll().find((n: any) => n.kind === kind) as any;
    return { app, find };
  };

  test('a fixed parameter through an override fails at synth, in PostgresParameters\' words', () => {
    const { app, find } = platformApp();
    find('Cluster').addOverride('spec.postgresql.parameters.ssl', 'on');
    expect(() => app.synth()).toThrow(/Cluster spec\.postgresql\.parameters\.ssl = "on" cannot be set: ssl is always on.*Can't set fixed configuration parameter/);
  });

  test('a five-field schedule through an override fails at synth, with its real fire times', () => {
    const { app, find } = platformApp();
    find('ScheduledBackup').addOverride('spec.schedule', '0 2 * * *');
    expect(() => app.synth()).toThrow(/spec\.schedule = "0 2 \* \* \*" has 5 fields.*the operator would run it at 2026-01-01T00:02:00Z/);
  });

  test('the validation job as root through an override fails at synth', () => {
    const { app, find } = platformApp();
    find('CronJob').addOverride('spec.jobTemplate.spec.template.spec.securityContext.runAsUser', 0);
    expect(() => app.synth()).toThrow(/CronJob spec\.jobTemplate\.spec\.template\.spec\.securityContext\.runAsUser = 0 runs the pod as root/);
  });

  test('a pooler whose pg_hba override lets plain text in fails at synth (1.30 writes require; dropping both fails)', () => {
    const { app, find } = platformApp();
    const pooler = find('Pooler');
    pooler.addOverride('spec.pgbouncer.pg_hba', ['host all all 0.0.0.0/0 scram-sha-256']);
    pooler.addDeletionOverride('spec.pgbouncer.parameters.client_tls_sslmode');
    expect(() => app.synth()).toThrow(/Pooler spec\.pgbouncer = \(unset\) lets plain-text clients in/);
  });
});

describe('PromQL metric names: the audit\'s lexer finds what Prometheus\' grammar finds', () => {
  const { manifests } = monitoredCluster({ backup: dailyBackup(), poolers: TWO_POOLERS });
  const refRules = [path.join(WORKLOADS, 'shared-cluster', 'prometheusrule.yaml'), path.join(REFERENCE, 'bases', 'cnpg-operator', 'operator', 'prometheusrule.yaml')]
    .flatMap((f) => parseAllDocuments(fs.readFileSync(f, 'utf-8')).map((d) => d.toJS()).filter((d) => d))
    .flatMap((d) => d.spec.groups.flatMap((g: any) => g.rules.map((r: any) => String(r.expr))));
  const exprs = [
    ...alertRules(manifests).map((r) => r.expr as string),
    ...dashboards(manifests).flatMap((d) => dashboardExpressions(d).map(withoutGrafanaVariables)),
    ...refRules,
    'sum by (namespace, pod) (rate(cnpg_backends_total{datname!~"template.*"}[5m] offset 1h)) / on (pod) group_left(cluster) max without (instance) (cnpg_collector_up)',
    'histogram_quantile(0.99, sum(rate(x_bucket[5m])) by (le)) > bool 1e3 and ignoring(a) y unless z or count_values("v", w)',
    'a:b:c{job!=""} + time() - vector(1) @ end() # a comment naming no_metric',
  ];

  test('a selector by __name__ is said to be one', () => {
    expect(promqlMetricNames('{__name__="cnpg_collector_up"} == 0')).toEqual({ metrics: [], nameMatchers: true });
  });

  test.each(exprs.map((e) => [e]))('%s', (expr) => {
    expect(parsePromql(expr).errors).toEqual([]);
    expect(promqlMetricNames(expr).metrics.sort()).toEqual(parsePromql(expr).metrics.sort());
  });
});

describe('root and capabilities: the audit agrees with the Pod Security Standards of the test suite', () => {
  const restricted = { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
  const cases: Array<[string, any]> = [
    ['hardened', { containers: [{ name: 'c', securityContext: restricted }] }],
    ['pod root', { securityContext: { runAsUser: 0 }, containers: [{ name: 'c', securityContext: restricted }] }],
    ['container root', { containers: [{ name: 'c', securityContext: { ...restricted, runAsUser: 0 } }] }],
    ['added capability', { containers: [{ name: 'c', securityContext: { ...restricted, capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } }] }],
    ['NET_BIND_SERVICE only', { containers: [{ name: 'c', securityContext: { ...restricted, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }] }],
    ['no runAsNonRoot', { containers: [{ name: 'c', securityContext: { ...restricted, runAsNonRoot: undefined } }] }],
    ['privileged', { containers: [{ name: 'c', securityContext: { ...restricted, privileged: true } }] }],
    ['escalation', { containers: [{ name: 'c', securityContext: { ...restricted, allowPrivilegeEscalation: true } }] }],
    ['nothing dropped', { containers: [{ name: 'c', securityContext: { ...restricted, capabilities: {} } }] }],
  ];
  const RULES = ['runAsNonRoot', 'runAsUser', 'privileged', 'capabilities_restricted', 'capabilities_baseline', 'allowPrivilegeEscalation'];

  test.each(cases)('%s', (_name, spec) => {
    const oracle = checkRestricted({ object: 'Pod/x', path: 'spec', metadata: {}, spec }).filter((v) => RULES.includes(v.rule));
    expect(podSecurityProblems(spec, 'spec').length > 0).toBe(oracle.length > 0);
  });
});

describe('reports', () => {
  const audit = ManifestAudit.ofPaths([WORKLOADS], { settingsFile: SETTINGS });

  test('JSON follows its documented schema (assets/audit/report.schema.json)', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'assets', 'audit', 'report.schema.json'), 'utf-8'));
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const validate = ajv.compile(schema);
    const report = JSON.parse(audit.toJson());
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(report.summary).toEqual({ files: 15, objects: 20, refusedObjects: 7, errors: audit.errorCount, warnings: audit.warningCount, notes: 0 });
    expect(report.findings).toHaveLength(audit.findings.length);
    // The schema's rule ids are exactly the rules.
    expect(schema.properties.findings.items.properties.ruleId.enum.sort()).toEqual(ManifestAudit.rules().map((r) => r.id).sort());
  });

  test('SARIF 2.1.0: one result per finding, with rule, level, file and line', () => {
    const sarif = JSON.parse(audit.toSarif());
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(ManifestAudit.rules().map((r) => r.id));
    expect(run.results).toHaveLength(audit.findings.length);
    const first = run.results[0];
    expect(run.tool.driver.rules[first.ruleIndex].id).toBe(first.ruleId);
    expect(['error', 'warning', 'note']).toContain(first.level);
    expect(first.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
    expect(first.locations[0].physicalLocation.artifactLocation.uri).not.toMatch(/^\//);
  });
});

describe('the command line (src/audit/cli.ts, the package\'s bin)', () => {
  const run = (...args: string[]) => {
    let out = '';
    let err = '';
    const code = main(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
    return { code, out, err };
  };

  test('errors found: exit 1 and the text report', () => {
    const r = run('audit', WORKLOADS, '--settings', SETTINGS);
    expect(r.code).toBe(1);
    expect(r.out).toContain('7 of 20 objects are refused');
  });

  test('no errors: exit 0 (the library\'s output)', () => {
    const dir = tmpdir();
    const app = new App({ outdir: dir });
    buildPlatform(app);
    app.synth();
    const r = run('audit', dir, '--settings', SETTINGS, '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).summary.errors).toBe(0);
  });

  test('--operator-version, --format sarif and --output', () => {
    const out = path.join(tmpdir(), 'report.sarif');
    const r = run('audit', WORKLOADS, '--settings', SETTINGS, '--operator-version', '1.30.0', '--format', 'sarif', '--output', out);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(JSON.parse(fs.readFileSync(out, 'utf-8')).runs[0].properties.operatorVersion).toBe('1.30.0');
  });

  test.each([
    [['audit'], /give at least one file or directory/],
    [['audit', '/no/such/dir'], /no such file or directory/],
    [['audit', WORKLOADS, '--format', 'xml'], /--format xml is not one of text, json, sarif/],
    [['audit', WORKLOADS, '--bogus'], /Unknown option '--bogus'/],
    [['audit', WORKLOADS, '--operator-version', '0.26.1'], /looks like a Helm chart version/],
    [['lint', WORKLOADS], /unknown command "lint"/],
  ])('usage errors exit 2: %j', (args, message) => {
    const r = run(...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  test('--rules lists every rule; --help and --version exit 0', () => {
    expect(run('audit', '--rules').out.split('\n').filter((l) => l).length).toBe(ManifestAudit.rules().length);
    expect(run('--help').code).toBe(0);
    expect(run('--version').out).toMatch(/^\d+\.\d+\.\d+/);
  });
});
