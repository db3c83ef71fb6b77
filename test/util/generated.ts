/**
 * Gate 1: generated configurations. fast-check draws random VALID configurations of the whole
 * public surface (test/util/arbitraries.ts: cluster sizes, storage, image, durability and
 * replication, TLS, parameters, settings, superuser, labels; a backup with any method, schedule,
 * retention, validation job and restore probe; any number of applications with any profile and
 * pooler settings) and checks, for each: synth succeeds, every object passes the CRD / Kubernetes
 * schemas of every targeted CNPG release (test/util/synth.ts), the safety invariants hold
 * (test/util/invariants.ts), every pod template passes Pod Security Admission `restricted`, and
 * synthesizing twice gives byte-identical YAML.
 *
 * Run by test/gates/generated-configurations.test.ts (a quick sample in the unit suite) and
 * test/integ/generated-configurations.test.ts (the 1,000 configurations). The seed is fixed in
 * CI and printed; FC_SEED replays a run, FC_RUNS changes the number of configurations.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { applicationProps, backupOptions, clusterProps, FLUX_TEST_VALUES, monitoringOptions, PlatformPlan, platformPlan } from './arbitraries';
import { validatorFor } from './conformance';
import { fluxSubstitute } from './flux';
import { clusterInvariants, podSecurityInvariant, poolerInvariants } from './invariants';
import { synth, targetReleases } from './synth';
import { CnpgSharedCluster, CnpgVersion } from '../../src';

/** The seed: FC_SEED when set, fixed in CI, random otherwise (printed either way). */
export function seed(ciSeed: number): number {
  if (process.env.FC_SEED !== undefined) return Number(process.env.FC_SEED);
  return process.env.CI ? ciSeed : Math.floor(Math.random() * 2 ** 31);
}

/** Everything built from one plan, in a fresh app. */
function build(plan: PlatformPlan): { chart: Chart; db: CnpgSharedCluster } {
  const app = Testing.app();
  const chart = new Chart(app, 'gen');
  const db = new CnpgSharedCluster(chart, plan.cluster.id, clusterProps(plan.cluster));
  if (plan.backup) db.addBackup(backupOptions(plan.backup));
  for (const a of plan.applications) db.addApplication(a.name, applicationProps(a));
  if (plan.monitoring) db.addMonitoring(monitoringOptions(plan.monitoring));
  return { chart, db };
}

function yamlOf(chart: Chart): string {
  return (chart.node.root as App).synthYaml();
}

/** The checks of one configuration; throws with every broken invariant. */
export function checkPlan(plan: PlatformPlan): void {
  const first = build(plan);
  const yamlA = yamlOf(first.chart);
  let manifests: any[];
  if (yamlA.includes('${')) {
    // Flux variables: what the API server validates is the YAML after Flux substitutes the
    // cluster-settings (the variables' own values are validated by ClusterSettings).
    const text = fluxSubstitute(yamlA, { ...FLUX_TEST_VALUES, ...plan.cluster.settings?.data });
    manifests = parseAllDocuments(text).map((d) => d.toJSON());
    const errors = targetReleases(first.chart).flatMap((r) => validatorFor(r).validateAll(manifests).map((e) => `[${r.cnpg}] ${e}`));
    if (errors.length) throw new Error(`synthesized objects (after Flux substitution) fail schema validation:\n  ${errors.join('\n  ')}`);
  } else {
    manifests = synth(first.chart); // throws on any schema violation
  }
  const broken = [
    ...clusterInvariants(manifests, {
      superuser: plan.cluster.superuser.kind !== 'disabled',
      createNamespace: plan.cluster.createNamespace ?? true,
    }),
    ...poolerInvariants(manifests, {
      reducedAvailability: new Set(plan.applications.filter((a) => a.acceptReducedAvailability).flatMap((a) => [`${a.name}-pooler`, `${a.name}-pooler-ro`])),
      reservedConnections: first.db.reservedConnections,
      // client_tls_sslmode/server_tls_sslmode are settable since CloudNativePG 1.27.1 (cloudnative-pg PR #8674).
      tlsModesSettable: first.db.operatorVersion.isAtLeast(CnpgVersion.V1_27_1),
    }),
    ...podSecurityInvariant(manifests),
  ];
  const yamlB = yamlOf(build(plan).chart);
  if (yamlA !== yamlB) broken.push('two synths of the same configuration differ');
  if (yamlOf(first.chart) !== yamlA) broken.push('synthesizing one app twice gives different YAML');
  if (broken.length) throw new Error(`invariants broken:\n  ${broken.join('\n  ')}`);
}

/** What a run of the generator covered. */
export interface Coverage {
  readonly instances: Set<number>;
  readonly replication: Set<string>;
  readonly superuser: Set<string>;
  readonly apps: Set<number>;
  backups: number;
  monitoring: number;
}

/** Runs `runs` generated configurations from `seed`; throws the shrunk counterexample on failure. */
export function runGeneratedConfigurations(s: number, runs: number): Coverage {
  // Printed so that a failure can be replayed.
  // eslint-disable-next-line no-console
  console.log(`fast-check seed ${s}, ${runs} generated configurations (replay: FC_SEED=${s} FC_RUNS=${runs})`);
  const coverage: Coverage = { instances: new Set(), replication: new Set(), superuser: new Set(), apps: new Set(), backups: 0, monitoring: 0 };
  fc.assert(
    fc.property(platformPlan, (plan) => {
      coverage.instances.add(plan.cluster.instances);
      coverage.replication.add(plan.cluster.replication.method);
      coverage.superuser.add(plan.cluster.superuser.kind);
      coverage.apps.add(plan.applications.length);
      if (plan.backup) coverage.backups++;
      if (plan.monitoring) coverage.monitoring++;
      checkPlan(plan);
    }),
    { seed: s, numRuns: runs, endOnFailure: false },
  );
  return coverage;
}
