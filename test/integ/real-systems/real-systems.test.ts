/**
 * The real systems judge every output, per CloudNativePG release (tools/real-systems/versions.json):
 * a real kube-apiserver + etcd with the release's CRDs (structural schemas, defaulting, CEL rules,
 * core kinds), and the release's own operator (`manager controller`, its webhooks registered by
 * URL, the Barman Cloud plugin beside it) admitting every postgresql.cnpg.io object and then
 * reconciling the reference platform.
 *
 * Per release:
 *   1. gate probes: every version gate and re-implemented operator rule of the library (gates.ts),
 *      dry-run applied; the real verdict must equal the library's;
 *   2. every example under dist/examples/ and a seeded sample of generated configurations,
 *      dry-run applied: no refusal, no warning;
 *   3. the platform's hand-written manifests (vendor/reference): exactly the known refusals;
 *   4. the reference platform, applied for real: no refusal, no warning; then what the operator
 *      creates is compared with what the library's typed outputs promise.
 * A release whose operator cannot be built here (versions.json says why) gets the API server only.
 *
 * Needs `bash .ci/deps.sh` (.ci/install/real-systems-*.sh). Figures and verdicts are written to
 * test-reports/real-systems/<release>.json and printed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { controls, gateProbes, goLiteralKeys, GateProbe, PROBE_NAMESPACE } from './gates';
import { ApplyResult, LocalKube, refOf, waitFor } from './harness/kube';
import { examples, generatedSample, namespacesOf, platform, REFERENCE_DIR, referenceManifests, substitute } from './harness/objects';
import { Operator } from './harness/operator';
import { binaries, Binaries, CnpgRelease, compareVersions, crdFiles, RELEASES, REPO_ROOT } from './harness/systems';
import { REFERENCE_SETTINGS_FILE } from '../../../examples/platform/platform';
import { ClusterBackup, CnpgApplication, CnpgVersion, ManifestAudit, PgBouncerPooler } from '../../../src';

jest.setTimeout(300_000);

/** How many generated configurations each release judges (seeded: the same ones every run). */
const GENERATED = Number(process.env.REAL_SYSTEMS_GENERATED ?? 12);
const GENERATED_SEED = 14_000_014;

/**
 * Warnings the library accepts in its own output, with the reason. Any other warning of the API
 * server or of an operator webhook fails the test.
 */
const ACCEPTED_WARNINGS: ReadonlyArray<{ readonly pattern: RegExp; readonly why: string }> = [
  {
    pattern: /^Native support for Barman Cloud backups and recovery is deprecated/,
    why: 'the user chose BackupMethod.BARMAN_OBJECT_STORE (the in-tree barmanObjectStore), which the library offers and documents as deprecated since CloudNativePG 1.26',
  },
];

/**
 * What the real systems refuse in the platform's hand-written manifests (vendor/reference), and
 * why: the same on every release. Server-side apply stops at the first problem of an object.
 */
const REFERENCE_REFUSALS: Record<string, RegExp> = {
  // `passwordSecret` is a LocalObjectReference (name only): the reference's `key` is unknown.
  'Cluster/cnpg-system/shared-postgres': /spec\.managed\.roles\[0\]\.passwordSecret\.key: field not declared in schema/,
  // `extensions` are objects (`{ name: uuid-ossp }`), not strings.
  'Database/cnpg-system/harbor': /spec\.extensions\[0\]: expected map/,
  'Database/cnpg-system/gitlab': /spec\.extensions\[0\]: expected map/,
  // A Pooler template is a PodTemplateSpec: its `spec.containers` is required.
  'Pooler/cnpg-system/harbor-pooler': /spec\.template\.spec\.containers: Required value/,
  'Pooler/cnpg-system/keycloak-pooler': /spec\.template\.spec\.containers: Required value/,
  'Pooler/cnpg-system/gitlab-pooler': /spec\.template\.spec\.containers: Required value/,
  'Pooler/cnpg-system/synergyflow-pooler': /spec\.template\.spec\.containers: Required value/,
};

/** What the operator's webhooks say about those objects once their unknown fields are dropped. */
const REFERENCE_NEXT: Record<string, RegExp> = {
  'Cluster/cnpg-system/shared-postgres': /Can't set fixed configuration parameter/,
};

/** Objects of kinds whose CRD the tests do not install (VictoriaMetrics' VMRule). */
const REFERENCE_NOT_JUDGED = ['VMRule/cnpg-system/cloudnative-pg-cluster'];

const REPORT_DIR = path.join(REPO_ROOT, 'test-reports', 'real-systems');

function unexpectedWarnings(results: ApplyResult[]): string[] {
  return results.flatMap((r) => r.warnings.filter((w) => !ACCEPTED_WARNINGS.some((a) => a.pattern.test(w))).map((w) => `${r.ref}: ${w}`));
}

function refusals(results: ApplyResult[]): string[] {
  return results.filter((r) => !r.accepted).map((r) => `${r.ref}: ${r.message}`);
}

let bins: Binaries | undefined;
let binError: unknown;
try {
  bins = binaries();
} catch (e) {
  binError = e;
}

/** One release's running systems. */
interface Env {
  readonly kube: LocalKube;
  readonly operator?: Operator;
  readonly timings: Record<string, number>;
}

/**
 * Starts a release's API server (its CRDs installed) and operator. The next release's systems
 * start while the tests of the current one run (at most two sets run at once).
 */
async function startEnv(release: CnpgRelease): Promise<Env> {
  if (!bins) throw binError;
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const kube = new LocalKube({ kubeApiserver: bins.kubeApiserver, etcd: bins.etcd });
  try {
    await kube.start();
    timings.apiServerStartMs = Date.now() - t0;
    const t1 = Date.now();
    await kube.installCrds(crdFiles(release.version));
    timings.crdsMs = Date.now() - t1;
    let operator: Operator | undefined;
    if (release.operator) {
      const t2 = Date.now();
      const o = bins.operators[release.version];
      operator = new Operator(kube, {
        version: release.version, manager: o.manager, webhooks: o.webhooks, barmanCloudPlugin: bins.barmanCloudPlugin,
      });
      try {
        await operator.start();
      } catch (e) {
        await operator.stop();
        throw e;
      }
      timings.operatorStartMs = Date.now() - t2;
    }
    return { kube, operator, timings };
  } catch (e) {
    await kube.stop();
    throw e;
  }
}

const starting = new Map<string, Promise<Env>>();
function envOf(release: CnpgRelease): Promise<Env> {
  if (!starting.has(release.version)) {
    const p = startEnv(release);
    p.catch(() => undefined); // awaited (and reported) by that release's tests
    starting.set(release.version, p);
  }
  return starting.get(release.version)!;
}

describe.each(RELEASES)('CloudNativePG $version', (release) => {
  const v = release.version;
  let kube: LocalKube | undefined;
  let operator: Operator | undefined;
  const report: Record<string, unknown> = { release: v, operator: release.operator ? 'run' : `not run: ${release.why}` };
  let timings: Record<string, number> = {};

  const env = (): LocalKube => {
    if (!kube) throw new Error('the API server did not start (see the beforeAll error)');
    return kube;
  };

  beforeAll(async () => {
    const next = RELEASES[RELEASES.indexOf(release) + 1];
    const t = Date.now();
    const current = envOf(release);
    try {
      const e = await current;
      ({ kube, operator } = e);
      timings = { ...e.timings, waitedForStartMs: Date.now() - t };
    } finally {
      if (next) void envOf(next);
    }
  }, 300_000);

  afterAll(async () => {
    await operator?.stop();
    await kube?.stop();
    report.timings = timings;
    fs.mkdirSync(REPORT_DIR, { recursive: true });
    fs.writeFileSync(path.join(REPORT_DIR, `${v}.json`), `${JSON.stringify(report, null, 2)}\n`);
  }, 60_000);

  test('gate probes: the base objects are accepted, and the real verdict on every gate is the library\'s', async () => {
    const k = env();
    await k.ensureNamespaces([PROBE_NAMESPACE]);
    const control = await k.applyAll(controls(), { dryRun: true });
    expect(refusals(control)).toEqual([]);

    const lists = operatorLists();
    const probes = gateProbes(lists).filter((p) => release.operator || !p.needsOperator);
    const verdicts: Array<{ probe: GateProbe; real: ApplyResult; library: boolean }> = [];
    const t = Date.now();
    for (const probe of probes) verdicts.push({ probe, real: await k.apply(probe.object, { dryRun: true }), library: probe.library(v) });
    timings.gateProbesMs = Date.now() - t;
    const onPurpose = (x: typeof verdicts[number]): boolean => x.real.accepted && !x.library && x.probe.stricterOnPurpose !== undefined;
    const disagreements = verdicts.filter((x) => x.real.accepted !== x.library && !onPurpose(x)).map((x) =>
      `${x.probe.id}: CloudNativePG ${v} ${x.real.accepted ? 'accepts it' : `refuses it (${x.real.message})`}, the library ${x.library ? 'lets it through' : 'refuses it'}`);
    report.gates = {
      probed: verdicts.length,
      notJudged: release.operator ? 0 : gateProbes(lists).length - probes.length,
      verdicts: Object.fromEntries(verdicts.map((x) => [x.probe.id, {
        real: x.real.accepted ? 'accepted' : x.real.message,
        library: x.library ? 'accepts' : 'refuses',
        ...(x.real.warnings.length ? { warnings: x.real.warnings } : {}),
        ...(onPurpose(x) ? { stricterOnPurpose: x.probe.stricterOnPurpose } : {}),
      }])),
      disagreements,
    };
    expect(disagreements).toEqual([]);
  });

  test('every example under dist/examples/ is accepted with no warning (on the releases whose CRDs have its fields)', async () => {
    const k = env();
    const all = examples();
    const newest = v === RELEASES[RELEASES.length - 1].version;
    report.examples = { count: all.length, results: {} as Record<string, unknown> };
    for (const ex of all) {
      await k.ensureNamespaces(namespacesOf(ex.objects));
      const results = await k.applyAll(ex.objects, { dryRun: true });
      // An example may target a newer release than this one (nothing in its YAML says which):
      // a field this release's CRD lacks is then refused by the schema, or a PgBouncer parameter
      // its webhook does not allow yet (dist/examples/flux targets the platform's 1.27.1, whose
      // poolers set the TLS modes 1.27.0 refuses), and that alone is allowed, except on the
      // newest release, which must accept every example.
      const newer = newest ? [] : refusals(results).filter((m) => /field not declared in schema|Unsupported value|Invalid or reserved parameter/.test(m));
      const refused = refusals(results).filter((m) => !newer.includes(m));
      (report.examples as any).results[ex.name] = {
        applied: results.length, refused, needsNewerRelease: newer, warnings: unexpectedWarnings(results),
      };
      expect({ example: ex.name, refused, warnings: newer.length ? [] : unexpectedWarnings(results) })
        .toEqual({ example: ex.name, refused: [], warnings: [] });
    }
  });

  test(`a seeded sample of ${GENERATED} generated configurations is accepted with no warning`, async () => {
    const k = env();
    // A configuration targeting release X promises output valid on X and every later release.
    const sample = generatedSample(GENERATED_SEED, GENERATED).filter((g) => compareVersions(v, g.operatorVersion) >= 0);
    const problems: string[] = [];
    let applied = 0;
    const t = Date.now();
    for (const g of sample) {
      await k.ensureNamespaces(namespacesOf(g.objects));
      const results = await k.applyAll(g.objects, { dryRun: true });
      applied += results.length;
      problems.push(...[...refusals(results), ...unexpectedWarnings(results)].map((p) => `configuration #${g.index} (seed ${GENERATED_SEED}, operatorVersion ${g.operatorVersion}): ${p}`));
    }
    timings.generatedMs = Date.now() - t;
    report.generated = { seed: GENERATED_SEED, configurations: sample.length, objects: applied, problems };
    expect(sample.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  test('the hand-written reference manifests: what the real systems refuse, and why', async () => {
    const k = env();
    const objects = referenceManifests();
    await k.ensureNamespaces(namespacesOf(objects));
    const results = await k.applyAll(objects, { dryRun: true });
    const unjudged = results.filter((r) => !r.accepted && r.message!.startsWith('no API serves'));
    const refused = results.filter((r) => !r.accepted && !unjudged.includes(r));
    // What the operator's webhooks say next about an object whose unknown fields were dropped
    // (server-side apply stops at the first: the schema).
    const next: Record<string, string> = {};
    for (const r of refused.filter((x) => /field not declared in schema/.test(x.message!))) {
      const again = await k.createIgnoringUnknownFields(objects.find((o) => refOf(o) === r.ref));
      next[r.ref] = again.accepted ? `accepted once the unknown fields are dropped${again.warnings.length ? ` (warnings: ${again.warnings.join('; ')})` : ''}` : again.message!;
    }
    report.reference = {
      applied: results.length,
      accepted: results.filter((r) => r.accepted).length,
      refused: Object.fromEntries(refused.map((r) => [r.ref, r.message])),
      afterDroppingUnknownFields: next,
      notJudged: Object.fromEntries(unjudged.map((r) => [r.ref, r.message])),
      warnings: Object.fromEntries(results.filter((r) => r.warnings.length).map((r) => [r.ref, r.warnings])),
    };
    expect(unjudged.map((r) => r.ref)).toEqual(REFERENCE_NOT_JUDGED);
    expect(Object.fromEntries(refused.map((r) => [r.ref, r.message]))).toEqual(
      Object.fromEntries(Object.entries(REFERENCE_REFUSALS).map(([ref, pattern]) => [ref, expect.stringMatching(pattern)])));
    if (release.operator) {
      expect(next).toEqual(Object.fromEntries(Object.entries(REFERENCE_NEXT).map(([ref, pattern]) => [ref, expect.stringMatching(pattern)])));
    }
    // `npx cnpg-constructs audit` names exactly the objects this release refuses.
    const audit = ManifestAudit.ofPaths([REFERENCE_DIR], { settingsFile: REFERENCE_SETTINGS_FILE, operatorVersion: CnpgVersion.of(v) });
    expect(audit.refusedObjects.map((o) => `${o.kind}/${o.namespace}/${o.name}`).sort()).toEqual(refused.map((r) => r.ref).sort());
  });

  describe('the reference platform', () => {
    const built = platform(v);
    let applied: ApplyResult[] = [];

    test('is accepted by server-side apply with no refusal and no warning', async () => {
      const k = env();
      const t = Date.now();
      // Namespaces the platform uses but does not create (e.g. `observability`, where the
      // dashboards go) exist in the platform's cluster: created here as prerequisites.
      const own = new Set(built.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
      const prerequisites = namespacesOf(built.objects).filter((n) => !own.has(n));
      await k.ensureNamespaces(prerequisites);
      applied = await k.applyAll(built.objects);
      timings.platformApplyMs = Date.now() - t;
      report.platform = {
        prerequisiteNamespaces: prerequisites,
        applied: applied.length,
        accepted: applied.filter((r) => r.accepted).length,
        refused: refusals(applied),
        warnings: applied.flatMap((r) => r.warnings.map((w) => `${r.ref}: ${w}`)),
      };
      expect(refusals(applied)).toEqual([]);
      expect(unexpectedWarnings(applied)).toEqual([]);
    });

    const withOperator = release.operator ? test : test.skip;

    withOperator('the operator creates what the typed outputs promise', async () => {
      const k = env();
      const o = operator!;
      const cluster = built.cluster;
      const ns = substitute(cluster.namespace);
      const clusterName = substitute(cluster.clusterName);
      const created: Record<string, unknown> = {};
      const problems: string[] = [];
      const t = Date.now();

      // The -rw/-ro/-r Services: names and ports.
      for (const [what, ep] of [['readWriteService', cluster.readWriteService], ['readOnlyService', cluster.readOnlyService], ['readService', cluster.readService]] as const) {
        const name = substitute(ep.serviceName);
        const svc = await waitFor(`Service ${ns}/${name}`, 60_000, async () => { o.assertRunning(); return k.get('v1', 'Service', ns, name); }, 500)
          .catch((e) => { problems.push(`${what}: ${String(e)}\noperator log:\n${o.tail()}`); return undefined; });
        const ports = (svc?.spec?.ports ?? []).map((p: any) => p.port);
        created[`Service/${name}`] = { ports };
        if (svc && !ports.includes(ep.port)) problems.push(`${what} ${name}: the library promises port ${ep.port}, the operator's Service has ${ports.join(', ')}`);
      }

      // Each pooler: its Deployment (replicas, labels, anti-affinity) and Service (name, port),
      // and the library's PodDisruptionBudget, NetworkPolicy and PodMonitor select its pods.
      const poolers = built.cluster.node.root.node.findAll().filter((n): n is PgBouncerPooler => n instanceof PgBouncerPooler);
      expect(poolers.length).toBeGreaterThan(0);
      for (const p of poolers) {
        const name = substitute(p.poolerName);
        const pns = substitute(p.namespace);
        const dep = await waitFor(`Deployment ${pns}/${name}`, 30_000, async () => { o.assertRunning(); return k.get('apps/v1', 'Deployment', pns, name); }, 500)
          .catch((e) => { problems.push(`pooler ${name}: ${String(e)}`); return undefined; });
        const svcName = substitute(p.endpoint.serviceName);
        const svc = await waitFor(`Service ${pns}/${svcName}`, 20_000, async () => k.get('v1', 'Service', pns, svcName), 500)
          .catch((e) => { problems.push(`pooler ${name}: ${String(e)}`); return undefined; });
        if (!dep || !svc) continue;
        const podLabels: Record<string, string> = dep.spec.template.metadata.labels ?? {};
        const ports = (svc.spec.ports ?? []).map((x: any) => x.port);
        const anti = dep.spec.template.spec.affinity?.podAntiAffinity;
        const antiTerms = [
          ...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
          ...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((x: any) => x.podAffinityTerm),
        ];
        created[`Deployment/${name}`] = {
          replicas: dep.spec.replicas,
          podLabels,
          antiAffinity: anti ?? null,
          resources: dep.spec.template.spec.containers.find((c: any) => c.name === 'pgbouncer')?.resources,
        };
        created[`Service/${svcName}`] = { ports, selector: svc.spec.selector };
        if (dep.spec.replicas !== p.instances) problems.push(`pooler ${name}: the library promises ${p.instances} replicas, the Deployment has ${dep.spec.replicas}`);
        if (!ports.includes(p.endpoint.port)) problems.push(`pooler ${name}: the library promises port ${p.endpoint.port}, the Service has ${ports.join(', ')}`);
        if (!matches(svc.spec.selector ?? {}, podLabels)) problems.push(`pooler ${name}: the operator's Service does not select its own Deployment's pods`);
        if (!antiTerms.length) problems.push(`pooler ${name}: the Deployment has no pod anti-affinity`);
        // What the library wrote in the Pooler's pod template reaches the pods: labels,
        // affinity, and the pgbouncer container's resources.
        const written = built.objects.find((x) => x.kind === 'Pooler' && x.metadata.name === name && x.metadata.namespace === pns);
        const tpl = written?.spec?.template;
        if (!written) problems.push(`pooler ${name}: not among the synthesized objects`);
        for (const [labelKey, val] of Object.entries<string>(tpl?.metadata?.labels ?? {})) {
          if (podLabels[labelKey] !== val) problems.push(`pooler ${name}: the template label ${labelKey}=${val} is ${podLabels[labelKey] ?? 'missing'} on the Deployment's pods`);
        }
        if (tpl?.spec?.affinity && JSON.stringify(sortKeys(tpl.spec.affinity)) !== JSON.stringify(sortKeys(dep.spec.template.spec.affinity))) {
          problems.push(`pooler ${name}: the Deployment's affinity ${JSON.stringify(dep.spec.template.spec.affinity)} is not the template's ${JSON.stringify(tpl.spec.affinity)}`);
        }
        const wantRes = tpl?.spec?.containers?.find((c: any) => c.name === 'pgbouncer')?.resources;
        const gotRes = dep.spec.template.spec.containers.find((c: any) => c.name === 'pgbouncer')?.resources;
        if (wantRes && JSON.stringify(sortKeys(wantRes)) !== JSON.stringify(sortKeys(gotRes))) {
          problems.push(`pooler ${name}: pgbouncer resources ${JSON.stringify(gotRes)}, the template says ${JSON.stringify(wantRes)}`);
        }
        for (const term of antiTerms) {
          if (!selectorMatches(term.labelSelector, podLabels)) problems.push(`pooler ${name}: its anti-affinity term ${JSON.stringify(term.labelSelector)} does not select its own pods ${JSON.stringify(podLabels)}`);
        }
        for (const o2 of built.objects.filter((x) => x.metadata?.namespace === pns && ['PodDisruptionBudget', 'NetworkPolicy', 'PodMonitor'].includes(x.kind))) {
          const sel = o2.kind === 'PodDisruptionBudget' ? o2.spec.selector : o2.kind === 'NetworkPolicy' ? o2.spec.podSelector : o2.spec.selector;
          if (sel && (o2.metadata.name.startsWith(name) || o2.metadata.name === `${name}-pdb`) && !selectorMatches(sel, podLabels)) {
            problems.push(`${refOf(o2)} does not select the pods of pooler ${name} (${JSON.stringify(podLabels)})`);
          }
        }
      }

      // The operator's own PodDisruptionBudgets for the instances; none of the library's collides.
      const pdbs = await waitFor(`the operator's PodDisruptionBudgets in ${ns}`, 60_000, async () => {
        const items = (await k.list('policy/v1', 'PodDisruptionBudget', ns)).filter((x) => x.metadata.labels?.['cnpg.io/cluster'] === clusterName);
        return items.length ? items : undefined;
      }, 500).catch((e) => { problems.push(String(e)); return [] as any[]; });
      created.podDisruptionBudgets = pdbs.map((x: any) => ({
        name: x.metadata.name,
        selector: x.spec.selector,
        minAvailable: x.spec.minAvailable,
        maxUnavailable: x.spec.maxUnavailable,
        managedBy: x.metadata.managedFields?.map((m: any) => m.manager),
      }));
      for (const x of pdbs) {
        if (x.metadata.managedFields?.some((m: any) => m.manager === 'kustomize-controller')) problems.push(`PodDisruptionBudget ${x.metadata.name}: written by both the operator and the library`);
      }

      // The ScheduledBackup's next run, as the operator computes it, against BackupSchedule.
      const backup = built.cluster.node.root.node.findAll().find((n): n is ClusterBackup => n instanceof ClusterBackup);
      if (backup) {
        const sbName = substitute(backup.scheduledBackupName);
        const sb = await waitFor(`ScheduledBackup ${sbName} checked by the operator`, 60_000, async () => {
          const x = await k.get('postgresql.cnpg.io/v1', 'ScheduledBackup', ns, sbName);
          return x?.status?.lastCheckTime ? x : undefined;
        }, 500).catch((e) => { problems.push(String(e)); return undefined; });
        const events = sb ? await waitFor(`the ScheduledBackup ${sbName}'s first event`, 30_000, async () => {
          const ev = (await k.eventsOf(ns, 'ScheduledBackup', sbName)).filter((e) => e.reason === 'BackupSchedule');
          return ev.length ? ev : undefined;
        }, 500).catch((e) => { problems.push(String(e)); return [] as any[]; }) : [];
        const m = events.map((e: any) => /Scheduled first backup by (\S+ \S+) ([+-]\d{4})/.exec(e.message)).find((x: any) => x);
        const operatorNext = m ? new Date(`${m[1].replace(' ', 'T')}${m[2].slice(0, 3)}:${m[2].slice(3)}`) : undefined;
        const libraryNext = sb ? backup.schedule.nextFireTimes(new Date(sb.status.lastCheckTime), 1)[0] : undefined;
        created[`ScheduledBackup/${sbName}`] = { schedule: sb?.spec?.schedule, lastCheckTime: sb?.status?.lastCheckTime, event: events.map((e: any) => e.message), operatorNext: operatorNext?.toISOString(), libraryNext: libraryNext?.toISOString() };
        if (!operatorNext) problems.push(`ScheduledBackup ${sbName}: no "Scheduled first backup" event (${events.map((e: any) => e.message).join('; ')})`);
        else if (operatorNext.getTime() !== libraryNext?.getTime()) problems.push(`ScheduledBackup ${sbName}: the operator schedules ${operatorNext.toISOString()}, BackupSchedule says ${libraryNext?.toISOString()}`);
      }

      // The applications' Databases and roles reached the operator (it reconciles them later,
      // against a running instance: recorded, not compared).
      const apps = built.cluster.node.root.node.findAll().filter((n): n is CnpgApplication => n instanceof CnpgApplication);
      created.applications = apps.map((a) => a.name);
      timings.operatorCompareMs = Date.now() - t;
      const clusterObj = await k.get('postgresql.cnpg.io/v1', 'Cluster', ns, clusterName);
      created.clusterPhase = clusterObj?.status?.phase;
      report.operatorCreated = created;
      report.operatorProblems = problems;
      expect(problems).toEqual([]);
    });
  });
});

/** The PgBouncer allow-list and fixed PostgreSQL parameters of every release built here. */
function operatorLists(): { pgbouncer: Set<string>; fixedParameters: Set<string> } {
  const pgbouncer = new Set<string>();
  const fixedParameters = new Set<string>();
  for (const o of Object.values(bins!.operators)) {
    const sources = o.sources;
    for (const k of goLiteralKeys(fs.readFileSync(path.join(sources, 'pooler_webhook.go'), 'utf-8'), 'AllowedPgbouncerGenericConfigurationParameters')) pgbouncer.add(k);
    for (const k of goLiteralKeys(fs.readFileSync(path.join(sources, 'configuration.go'), 'utf-8'), 'FixedConfigurationParameters')) fixedParameters.add(k);
  }
  return { pgbouncer, fixedParameters };
}

/** A copy with object keys sorted (for comparing what was written with what was stored). */
function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

/** Whether a Service selector (a label map) selects pods with these labels. */
function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, val]) => labels[k] === val);
}

/** Whether a LabelSelector selects pods with these labels. */
function selectorMatches(sel: any, labels: Record<string, string>): boolean {
  if (!sel) return false;
  const ml = Object.entries(sel.matchLabels ?? {}).every(([k, val]) => labels[k] === val);
  const me = (sel.matchExpressions ?? []).every((e: any) => {
    const has = e.key in labels;
    switch (e.operator) {
      case 'In': return has && e.values.includes(labels[e.key]);
      case 'NotIn': return !has || !e.values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
  return ml && me && (Object.keys(sel.matchLabels ?? {}).length > 0 || (sel.matchExpressions ?? []).length > 0);
}
