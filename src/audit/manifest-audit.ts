import * as fs from 'fs';
import { AuditedObject, AuditFinding, AuditRuleInfo, AuditSeverity, SkippedDocument } from './finding';
import { ManifestObject, readManifests, yamlFiles } from './manifests';
import { auditJson, auditSarif, auditText } from './report';
import { AUDIT_RULES, auditRule } from './rules';
import { unknownMetricProblems } from '../checks/alert-metrics';
import { scheduledBackupScheduleProblems } from '../checks/backup-schedule';
import { clusterWebhookProblems } from '../checks/cluster-rules';
import {
  budgetShare, BudgetShare, connectionBudget, DEFAULT_RESERVED_CONNECTIONS, poolerShareOfManifest, POSTGRES_CONNECTION_DEFAULTS,
} from '../checks/connection-budget';
import { deprecatedFields } from '../checks/deprecated-fields';
import { fixedParameterProblems } from '../checks/fixed-parameters';
import { DEFAULT_OPERATOR_NAMESPACE, operatorNamespaceProblem } from '../checks/operator-namespace';
import { podSecurityProblems, workloadPodSpec } from '../checks/pod-security';
import { pdbCoversPooler, poolerAvailabilityProblems } from '../checks/pooler-availability';
import { poolerTlsProblem } from '../checks/pooler-tls';
import { checkObjectSchema, SchemaProblem, schemaFor } from '../checks/schema';
import { superuserProblems } from '../checks/superuser';
import { show } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { yaml } from '../common/yaml';
import { checkArgs } from '../core/prop-check';
import { fluxVariables } from '../flux/substitution';
import { ALLOWED_PGBOUNCER_PARAMETERS, PGBOUNCER_PARAMETERS_SINCE, pgbouncerParameterProblems } from '../pooler/pgbouncer-parameters';
import { ClusterSettings, SettingsMode } from '../settings/cluster-settings';
import { CnpgVersion } from '../versions/cnpg-version';

/** Options of {@link ManifestAudit}. */
export interface ManifestAuditOptions {
  /**
   * The platform's Flux `cluster-settings` ConfigMap (YAML file). Its `data` are substituted into
   * the manifests as Flux's post-build substitution does (`${VAR}`, `${VAR:=default}`), its
   * `CNPG_*` keys are checked as `ClusterSettings` checks them, and `CNPG_OPERATOR_VERSION`
   * gives the operator release when `operatorVersion` is unset.
   *
   * @default - no substitution: fields that hold a `${VAR}` are not checked
   */
  readonly settingsFile?: string;
  /**
   * The CloudNativePG release the manifests are applied to: its CRD schemas, webhook rules and
   * deprecations apply.
   *
   * @default - the settings' `CNPG_OPERATOR_VERSION` (a Helm chart version), otherwise
   * `CnpgVersion.DEFAULT` (the oldest supported release, as the constructs)
   */
  readonly operatorVersion?: CnpgVersion;
  /**
   * The operator's namespace, where no data-plane object belongs.
   *
   * @default 'cnpg-system'
   */
  readonly operatorNamespace?: string;
  /**
   * Connections of each instance kept out of the poolers' budget (the instance manager, the
   * metrics exporter, backups, administrators), as the cluster's `reservedConnections`.
   *
   * @default 10
   */
  readonly reservedConnections?: number;
  /**
   * Substitute as kustomize-controller with `StrictPostBuildSubstitutions`: a variable without
   * value nor default fails its object (reported as `flux-variable`) instead of becoming empty.
   *
   * @default false (Flux's default)
   */
  readonly strictSubstitution?: boolean;
}

/** CloudNativePG and Barman Cloud kinds: the data plane. */
const DATA_PLANE_GROUPS = ['postgresql.cnpg.io/', 'barmancloud.cnpg.io/'];

/** Where a finding is (its field path is the problem's). */
interface FindingPlace {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

interface Item {
  readonly m: ManifestObject;
  readonly obj: any;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/**
 * The library's checks, run over hand-written Kubernetes manifests (what `npx cnpg-constructs
 * audit` runs): per object, with the same problems and fixes as the library's synth-time errors.
 *
 * Reads files and directories of multi-document YAML (documents that are not Kubernetes objects,
 * such as kustomize's `kustomization.yaml`, are skipped and listed), substitutes Flux variables
 * from the cluster-settings when given, and reports: objects the targeted release's CRD schemas
 * refuse; the Cluster webhook's rules, PostgreSQL parameters the operator fixes and PgBouncer
 * parameters it refuses;
 * five-field (or never-firing, or too frequent) ScheduledBackup schedules with their real fire
 * times; WAL archiving without a ScheduledBackup; superuser access; data-plane objects in the
 * operator's namespace; deprecated fields; poolers with fewer than three replicas, without
 * anti-affinity, PodDisruptionBudget or TLS enforcement; the poolers' connection budget against
 * `max_connections`; alert rules naming metrics CloudNativePG does not export; workloads (backup
 * validation jobs) running as root or adding capabilities; undefined Flux variables.
 *
 * ```ts
 * const audit = ManifestAudit.ofPaths(['kubernetes/workloads/databases'], { settingsFile: 'cluster-settings.yaml' });
 * if (audit.errorCount > 0) console.log(audit.toText());
 * ```
 */
export class ManifestAudit {
  /**
   * Audits files and directories (recursively: every `.yaml` and `.yml`).
   *
   * @param paths files or directories
   * @param options the settings, the operator release, ...
   */
  public static ofPaths(paths: string[], options: ManifestAuditOptions = {}): ManifestAudit {
    checkArgs('ManifestAudit.ofPaths', [paths, options]);
    return new ManifestAudit(paths, options);
  }

  /** Every rule the audit applies: id, severity, what it checks, and the library check it shares. */
  public static rules(): AuditRuleInfo[] {
    return AUDIT_RULES.map((r) => ({ ...r }));
  }

  /** The findings, by file and line. */
  public readonly findings: AuditFinding[];
  /** The objects read. */
  public readonly objects: AuditedObject[];
  /** The documents skipped (not Kubernetes objects), and why. */
  public readonly skipped: SkippedDocument[];
  /** The YAML files read. */
  public readonly files: string[];
  /** The operator release the manifests were checked against. */
  public readonly operatorVersion: CnpgVersion;
  /**
   * The settings file, when given.
   *
   * @default - none
   */
  public readonly settingsFile?: string;

  private readonly operatorNamespace: string;
  private readonly found: AuditFinding[] = [];
  /** Findings of what the API server or the operator's webhook refuses. */
  private readonly refusals = new Set<AuditFinding>();

  private constructor(paths: string[], options: ManifestAuditOptions) {
    this.operatorNamespace = options.operatorNamespace ?? DEFAULT_OPERATOR_NAMESPACE;
    this.settingsFile = options.settingsFile;
    let vars: Record<string, string> | undefined;
    let settingsVersion: CnpgVersion | undefined;
    if (options.settingsFile) {
      const s = this.readSettings(options.settingsFile);
      vars = s.vars;
      settingsVersion = s.version;
    }
    this.operatorVersion = options.operatorVersion ?? settingsVersion ?? CnpgVersion.DEFAULT;

    this.files = yamlFiles(paths);
    const set = readManifests(this.files, vars, options.strictSubstitution ?? false);
    for (const e of set.errors) {
      this.add('yaml', { file: e.file, line: e.line, kind: '', name: '' }, { path: '', value: undefined, problem: `is not valid YAML: ${e.message}`, fix: 'fix the YAML syntax' });
    }
    this.skipped = set.skipped.map((s) => ({ ...s }));
    const items: Item[] = set.objects.map((m) => ({
      m,
      obj: m.object,
      kind: String(m.object.kind),
      name: String(m.object.metadata?.name ?? ''),
      namespace: m.object.metadata?.namespace === undefined ? undefined : String(m.object.metadata.namespace),
    }));
    this.objects = items.map((it) => ({
      file: it.m.file,
      line: it.m.line,
      apiVersion: String(it.obj.apiVersion),
      kind: it.kind,
      name: it.name,
      namespace: it.namespace,
      schemaChecked: !!schemaFor(it.obj.apiVersion, it.obj.kind),
    }));

    for (const it of items) this.checkObject(it, vars !== undefined);
    this.checkAcrossObjects(items, options.reservedConnections ?? DEFAULT_RESERVED_CONNECTIONS);

    const order = { error: 0, warning: 1, note: 2 };
    this.findings = [...this.found].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
      || a.line - b.line || order[a.severity] - order[b.severity]);
  }

  /** The number of errors. */
  public get errorCount(): number {
    return this.findings.filter((f) => f.severity === AuditSeverity.ERROR).length;
  }

  /** The number of warnings. */
  public get warningCount(): number {
    return this.findings.filter((f) => f.severity === AuditSeverity.WARNING).length;
  }

  /**
   * The objects the API server or the operator refuses: those with a `crd-schema`,
   * `cluster-webhook` or `fixed-parameter` error, or a `pgbouncer-parameter` error outside the
   * release's allow-list.
   */
  public get refusedObjects(): AuditedObject[] {
    const keys = new Set(this.findings.filter((f) => this.refusals.has(f))
      .map((f) => `${f.file}\0${f.kind}\0${f.namespace ?? ''}\0${f.name}`));
    return this.objects.filter((o) => keys.has(`${o.file}\0${o.kind}\0${o.namespace ?? ''}\0${o.name}`));
  }

  /** The report as text, one block per object (what the CLI prints by default). */
  public toText(): string {
    return auditText(this);
  }

  /** The report as JSON (schema: docs/guides/audit.md, assets/audit/report.schema.json). */
  public toJson(): string {
    return auditJson(this);
  }

  /** The report as SARIF 2.1.0 (for code scanning in CI). */
  public toSarif(): string {
    return auditSarif(this);
  }

  private readSettings(file: string): { vars?: Record<string, string>; version?: CnpgVersion } {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf-8');
    } catch (e) {
      throw new Error(`cannot read the settings file ${file}: ${(e as Error).message}`);
    }
    const cm = yaml().parseAllDocuments(text).map((d) => d.toJS()).find((d) => d?.kind === 'ConfigMap');
    if (!cm || typeof cm.data !== 'object' || cm.data === null || Array.isArray(cm.data)) {
      throw new Error(`the settings file ${file} has no ConfigMap with data`);
    }
    let version: CnpgVersion | undefined;
    try {
      const settings = ClusterSettings.fromConfigMap(cm, { source: file, mode: SettingsMode.VALUES });
      version = settings.operatorVersion;
    } catch (e) {
      const { problem, fix, field, value } = splitError((e as Error).message, file);
      this.add('cluster-settings', { file, line: 1, kind: 'ConfigMap', name: cm.metadata?.name ?? 'cluster-settings', namespace: cm.metadata?.namespace },
        { path: field ? `data.${field}` : 'data', value, problem, fix });
      try {
        version = CnpgVersion.fromHelmChart(String(cm.data.CNPG_OPERATOR_VERSION));
      } catch {
        // Not a chart version (reported above when set): the default release applies.
      }
    }
    return { vars: fluxVariables(cm.data), version };
  }

  private add(ruleId: string, at: FindingPlace, p: SchemaProblem, severity?: AuditSeverity): AuditFinding {
    const rule = auditRule(ruleId);
    const finding: AuditFinding = {
      severity: severity ?? rule.severity,
      ruleId,
      kind: at.kind,
      name: at.name,
      namespace: at.namespace,
      file: at.file,
      line: at.line,
      path: p.path,
      value: p.value === undefined ? undefined : show(p.value),
      problem: p.problem,
      fix: p.fix,
    };
    this.found.push(finding);
    return finding;
  }

  private report(it: Item, ruleId: string, p: SchemaProblem, severity?: AuditSeverity, refused: boolean = false): void {
    const place = { file: it.m.file, line: it.m.lineOf(p.path), kind: it.kind, name: it.name, namespace: it.namespace };
    const f = this.add(ruleId, place, p, severity);
    if (refused) this.refusals.add(f);
  }

  private checkObject(it: Item, substituted: boolean): void {
    const { obj, m } = it;
    // Flux variables.
    if (m.substitutionError) {
      this.report(it, 'flux-variable', { path: '', value: undefined, problem: `fails Flux's strict substitution: ${m.substitutionError}`, fix: 'define the variable in the cluster-settings, give it a default (${VAR:=value}), or escape a shell variable as $${VAR}' });
    }
    if (substituted && !m.substitutionDisabled) {
      const byPath = new Map<string, string[]>();
      for (const r of m.references) {
        if (r.defined || r.hasDefault) continue;
        const names = byPath.get(r.path) ?? [];
        if (!names.includes(r.name)) names.push(r.name);
        byPath.set(r.path, names);
      }
      for (const [p, names] of byPath) {
        this.report(it, 'flux-variable', {
          path: p,
          value: names.map((n) => '${' + n + '}').join(' '),
          problem: `${names.length === 1 ? 'names a variable' : 'name variables'} the cluster-settings do not define: Flux substitutes ${names.length === 1 ? 'it' : 'each'} with an empty string (or fails the whole Kustomization with StrictPostBuildSubstitutions)`,
          fix: 'define them in the cluster-settings, give each a default (${VAR:=value}); for a shell variable write $${VAR}, or annotate the object kustomize.toolkit.fluxcd.io/substitute: disabled',
        });
      }
    } else if (!substituted && m.references.length) {
      const names = [...new Set(m.references.map((r) => r.name))];
      this.report(it, 'flux-variable-unresolved', {
        path: '',
        value: names.map((n) => '${' + n + '}').join(' '),
        problem: 'holds Flux variables, left as written: the fields that hold one are not checked',
        fix: 'pass the cluster-settings (--settings) to check the objects as Flux applies them',
      });
    }
    for (const u of m.unreadable) {
      this.report(it, 'flux-variable', {
        path: u.path,
        value: u.text,
        problem: `is not one YAML value once Flux has substituted it (${u.reason}): Flux fails the whole Kustomization`,
        fix: 'give the variable a value YAML reads as one scalar: quote it in the cluster-settings (\'a: b\' with its quotes) when it is the whole field, or change it',
      });
    }
    for (const r of m.unsupported) {
      if (r.refused !== undefined) {
        this.report(it, 'flux-variable', {
          path: r.path,
          value: r.expression,
          problem: `is an expression Flux's envsubst cannot parse (${r.refused}): Flux fails the whole Kustomization`,
          fix: 'write ${VAR}, ${VAR:=default} or ${VAR:-default} (with a colon); for a literal "${" write "$${"',
        });
      } else {
        this.report(it, 'flux-variable-unresolved', { path: r.path, value: r.expression, problem: 'is an envsubst form the audit does not evaluate: the field is checked as written', fix: 'use ${VAR} or ${VAR:=default}' });
      }
    }

    // The schema of its kind in the targeted release.
    const found = schemaFor(obj.apiVersion, obj.kind);
    const cnpg = found?.group.group === 'cnpg';
    const release = cnpg ? this.operatorVersion.release : undefined;
    if (found) {
      for (const p of checkObjectSchema(obj, release)) {
        if (typeof p.value === 'string' && containsFluxVariable(p.value)) continue; // known only when Flux runs
        this.report(it, 'crd-schema', p, undefined, true);
      }
      for (const d of deprecatedFields(obj, release ?? found.group.releases[found.group.releases.length - 1])) this.report(it, 'deprecated-field', d);
    }

    switch (obj.kind) {
      case 'Cluster':
        if (!String(obj.apiVersion).startsWith('postgresql.cnpg.io/')) break;
        for (const p of fixedParameterProblems(obj.spec?.postgresql?.parameters)) this.report(it, 'fixed-parameter', p, undefined, true);
        for (const p of clusterWebhookProblems(obj)) this.report(it, 'cluster-webhook', p, undefined, true);
        for (const p of superuserProblems(obj)) this.report(it, 'superuser-access', p);
        break;
      case 'Pooler': {
        if (!String(obj.apiVersion).startsWith('postgresql.cnpg.io/')) break;
        for (const p of pgbouncerParameterProblems(obj.spec?.pgbouncer?.parameters, this.operatorVersion)) {
          // The webhook refuses keys outside the release's allow-list; a value of the wrong type
          // stops PgBouncer; a repeated ignore_startup_parameters entry is only redundant.
          const key = p.path.slice('spec.pgbouncer.parameters.'.length);
          const since = PGBOUNCER_PARAMETERS_SINCE[key];
          const refused = !ALLOWED_PGBOUNCER_PARAMETERS.includes(key) || (since !== undefined && !this.operatorVersion.isAtLeast(since));
          const redundant = key === 'ignore_startup_parameters' && /^repeats /.test(p.problem);
          this.report(it, 'pgbouncer-parameter', p, redundant ? AuditSeverity.WARNING : undefined, refused);
        }
        const a = poolerAvailabilityProblems(obj);
        if (a.instances) this.report(it, 'pooler-instances', a.instances);
        if (a.antiAffinity) this.report(it, 'pooler-anti-affinity', a.antiAffinity);
        const tls = poolerTlsProblem(obj);
        if (tls) this.report(it, 'pooler-tls', tls);
        break;
      }
      case 'ScheduledBackup':
        for (const p of scheduledBackupScheduleProblems(obj)) {
          const from = m.references.find((r) => r.path === 'spec.schedule');
          this.report(it, 'backup-schedule', from && this.settingsFile
            ? { ...p, problem: `${p.problem} (from ${from.expression} in ${this.settingsFile})`, fix: `${p.fix}, in ${from.name} of the cluster-settings` }
            : p);
        }
        break;
      default:
        break;
    }
    for (const p of unknownMetricProblems(obj)) this.report(it, 'alert-metric', p);
    const pod = workloadPodSpec(obj);
    if (pod) for (const p of podSecurityProblems(pod.spec, pod.path)) this.report(it, 'pod-security', p);
  }

  private checkAcrossObjects(items: Item[], reservedConnections: number): void {
    const isKind = (it: Item, kind: string, group: string) => it.kind === kind && String(it.obj.apiVersion).startsWith(group);
    const clusters = items.filter((it) => isKind(it, 'Cluster', 'postgresql.cnpg.io/'));
    const poolers = items.filter((it) => isKind(it, 'Pooler', 'postgresql.cnpg.io/'));
    const scheduled = items.filter((it) => isKind(it, 'ScheduledBackup', 'postgresql.cnpg.io/'));
    const pdbs = items.filter((it) => it.kind === 'PodDisruptionBudget');

    // Poolers without a PodDisruptionBudget.
    for (const p of poolers) {
      if (!pdbs.some((d) => pdbCoversPooler(d.obj, p.obj))) {
        this.report(p, 'pooler-pdb', {
          path: '',
          value: undefined,
          problem: 'has no PodDisruptionBudget over its pods (none of the audited PodDisruptionBudgets selects cnpg.io/poolerName: ' + p.name + '): a node drain may evict every replica at once',
          fix: `add a PodDisruptionBudget in ${p.namespace ?? 'its namespace'} with maxUnavailable: 1 and selector.matchLabels cnpg.io/poolerName: ${p.name} (what PgBouncerPooler writes)`,
        });
      }
    }

    // WAL archiving without base backups.
    for (const c of clusters) {
      const spec = c.obj.spec ?? {};
      const archives = spec.backup?.barmanObjectStore !== undefined
        || (Array.isArray(spec.plugins) && spec.plugins.some((pl: any) => pl?.isWALArchiver === true));
      if (!archives) continue;
      const has = scheduled.some((s) => s.namespace === c.namespace && s.obj.spec?.cluster?.name === c.name);
      if (!has) {
        const where = spec.backup?.barmanObjectStore !== undefined ? 'spec.backup.barmanObjectStore' : 'spec.plugins';
        this.report(c, 'backup-missing', {
          path: where,
          value: undefined,
          problem: 'archives WAL, but no audited ScheduledBackup takes base backups of this cluster: WAL alone restores nothing, and the archive grows without a base backup to start from',
          fix: `add a ScheduledBackup with spec.cluster.name: ${c.name} and a six-field schedule such as "0 0 2 * * *" (ClusterBackup writes one)`,
        });
      }
    }

    // The connection budget of each cluster.
    for (const c of clusters) {
      const mine = poolers.filter((p) => p.namespace === c.namespace && p.obj.spec?.cluster?.name === c.name);
      if (!mine.length) continue;
      const params = c.obj.spec?.postgresql?.parameters ?? {};
      const num = (key: keyof typeof POSTGRES_CONNECTION_DEFAULTS) => {
        const v = params[key];
        if (v === undefined) return POSTGRES_CONNECTION_DEFAULTS[key];
        return /^\d+$/.test(String(v)) ? Number(v) : undefined;
      };
      const maxConnections = num('max_connections');
      const superuserReserved = num('superuser_reserved_connections');
      const shares = mine.map((p) => poolerShareOfManifest(p.obj));
      if (maxConnections === undefined || superuserReserved === undefined || shares.some((s) => !s)) continue;
      const limits = { maxConnections, superuserReservedConnections: superuserReserved, reservedConnections };
      const budget = connectionBudget(limits, shares.map((s) => s!.share));
      if (!budget.problems.length) continue;
      const sentences = [...budget.problems];
      if (budget.unbounded.length) {
        // The least the unbounded poolers open: one database/role pair each.
        const least: BudgetShare[] = shares.map((s) => (s!.share.total === undefined
          ? budgetShare(s!.share.poolerName, s!.share.application, s!.share.type, s!.share.instances, s!.perPairBound) : s!.share));
        const lower = connectionBudget(limits, least);
        if (lower.problems.length) sentences.push(`even if each reaches a single database as a single role, ${lower.problems.join('; ').replace(/^the poolers/, 'they')}`);
      }
      this.report(c, 'connection-budget', {
        path: 'spec.postgresql.parameters.max_connections',
        value: params.max_connections ?? `(unset: ${POSTGRES_CONNECTION_DEFAULTS.max_connections})`,
        problem: `connection budget: ${sentences.join('. Also, ')} (reservedConnections ${reservedConnections}: the instance manager, the exporter, backups and administrators)`,
        fix: 'restrict each Pooler\'s spec.pgbouncer.pg_hba to its databases and roles (hostssl <db> <role> ... scram-sha-256, then host all all ... reject), '
          + 'cap what one replica opens with max_db_connections, lower default_pool_size/reserve_pool_size, run fewer replicas, or raise max_connections',
      });
    }

    // Data-plane objects in the operator's namespace.
    const dataPlane = items.filter((it) => DATA_PLANE_GROUPS.some((g) => String(it.obj.apiVersion).startsWith(g)));
    const secretsUsed = new Set<string>();
    for (const it of dataPlane) for (const s of secretRefs(it.obj.spec)) secretsUsed.add(`${it.namespace}/${s}`);
    const servesDataPlane = (it: Item): boolean => {
      if (dataPlane.includes(it)) return true;
      if (it.kind === 'PodDisruptionBudget' || it.kind === 'NetworkPolicy') {
        const sel = it.obj.spec?.selector?.matchLabels ?? it.obj.spec?.podSelector?.matchLabels ?? {};
        return Object.keys(sel).some((k) => k.startsWith('cnpg.io/'));
      }
      if (it.kind === 'ExternalSecret') return secretsUsed.has(`${it.namespace}/${it.obj.spec?.target?.name ?? it.name}`);
      if (it.kind === 'Secret') return secretsUsed.has(`${it.namespace}/${it.name}`);
      if (workloadPodSpec(it.obj)) return secretRefs(workloadPodSpec(it.obj)!.spec).some((s) => secretsUsed.has(`${it.namespace}/${s}`));
      return false;
    };
    for (const it of items) {
      const p = operatorNamespaceProblem(it.namespace, this.operatorNamespace);
      if (p && servesDataPlane(it)) this.report(it, 'operator-namespace', { path: 'metadata.namespace', value: it.namespace, problem: p.problem, fix: p.fix });
    }

    // Superuser Secrets kept while access is off.
    for (const c of clusters) {
      if (c.obj.spec?.enableSuperuserAccess === true) continue;
      const name = `${c.name}-superuser`;
      for (const it of items) {
        const target = it.kind === 'ExternalSecret' ? (it.obj.spec?.target?.name ?? it.name) : it.kind === 'Secret' ? it.name : undefined;
        if (target === undefined || it.namespace !== c.namespace) continue;
        if (target === name || target === c.obj.spec?.superuserSecret?.name) {
          this.report(it, 'superuser-access', {
            path: it.kind === 'ExternalSecret' ? 'spec.target.name' : 'metadata.name',
            value: target,
            problem: `writes a superuser credential for the Cluster ${c.name}, whose enableSuperuserAccess is off: the operator does not use it, yet it stays readable in the namespace`,
            fix: 'remove it (and spec.superuserSecret from the Cluster), or enable superuser access deliberately',
          });
        }
      }
    }
  }
}

/** The names of the Secrets an object refers to (`...Secret: {name}`, `secretKeyRef`, `secretName`, `secretRef`). */
function secretRefs(root: any): string[] {
  const out = new Set<string>();
  const walk = (v: any, key: string) => {
    if (Array.isArray(v)) {
      v.forEach((x) => walk(x, key));
      return;
    }
    if (!v || typeof v !== 'object') {
      if (key === 'secretName' && typeof v === 'string') out.add(v);
      return;
    }
    if (/secret|accessKeyId|sessionToken|region/i.test(key) && typeof v.name === 'string') out.add(v.name);
    for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(root, '');
  return [...out];
}

/**
 * `ClusterSettings(<file>): KEY = "v" problem. Fix: fix` → its parts (the file's path may hold any
 * character, `:` and `): ` included). The value is written by `show` (JSON for a string).
 */
function splitError(message: string, file: string): { field?: string; value?: string; problem: string; fix: string } {
  const prefix = `ClusterSettings(${file}): `;
  const m = message.startsWith(prefix) ? /^(\S+) = ("(?:[^"\\]|\\.)*"|\S+) ([\s\S]*?)\. Fix: ([\s\S]*)$/.exec(message.slice(prefix.length)) : null;
  if (!m) return { problem: message, fix: 'fix the cluster-settings' };
  return { field: m[1], value: m[2].startsWith('"') ? JSON.parse(m[2]) : m[2], problem: m[3], fix: m[4] };
}
