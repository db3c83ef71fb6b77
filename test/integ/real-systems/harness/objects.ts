/**
 * What the real systems judge: the reference platform (examples/platform), every synthesized
 * example under dist/examples/, a seeded sample of the generated configurations
 * (test/util/arbitraries.ts), and the platform's hand-written manifests (vendor/reference). Flux
 * variables are substituted from the cluster-settings first, as Flux does before it applies.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './systems';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../../../../examples/platform/platform';
import { CnpgSharedCluster, CnpgVersion } from '../../../../src';
import { applicationProps, backupOptions, clusterProps, FLUX_TEST_VALUES, monitoringOptions, PlatformPlan, platformPlan } from '../../../util/arbitraries';
import { fluxSubstitute, readSettingsData } from '../../../util/flux';

/** The reference cluster-settings' variables. */
export const SETTINGS: Record<string, string> = readSettingsData(REFERENCE_SETTINGS_FILE);

/** Substitutes Flux variables in a string (a typed output that holds `${CNPG_...}`). */
export function substitute(s: string, vars: Record<string, string> = SETTINGS): string {
  return fluxSubstitute(s, vars);
}

function parseYaml(text: string): any[] {
  return parseAllDocuments(text).map((d) => d.toJSON()).filter((o) => o && o.kind);
}

/** kustomize's own files (kustomization.yaml: build input, never sent to the API server). */
function isKustomizeInput(o: any): boolean {
  return typeof o.apiVersion === 'string' && o.apiVersion.startsWith('kustomize.config.k8s.io/');
}

/** The reference platform built for one release, and its cluster construct (the typed outputs). */
export interface Platform {
  readonly objects: any[];
  readonly cluster: CnpgSharedCluster;
}

/** The reference platform targeting `release` (its typed outputs read from the construct tree). */
export function platform(release: string): Platform {
  const app = Testing.app();
  const chart = buildPlatform(app, { operatorVersion: CnpgVersion.of(release) });
  const cluster = chart.node.findAll().find((n): n is CnpgSharedCluster => n instanceof CnpgSharedCluster)!;
  return { objects: parseYaml(substitute(app.synthYaml())), cluster };
}

/** One synthesized example of dist/examples/: its name and objects. */
export interface Example {
  readonly name: string;
  readonly objects: any[];
}

/** Every example under dist/examples/ (each sub-folder or file is one example); [] when none. */
export function examples(): Example[] {
  const root = path.join(REPO_ROOT, 'dist', 'examples');
  if (!fs.existsSync(root)) return [];
  const out: Example[] = [];
  const yamlFiles = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  }).sort();
  for (const entry of fs.readdirSync(root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const files = entry.isDirectory() ? yamlFiles(path.join(root, entry.name)) : /\.ya?ml$/.test(entry.name) ? [path.join(root, entry.name)] : [];
    const objects = files.flatMap((f) => parseYaml(substitute(fs.readFileSync(f, 'utf-8'), { ...FLUX_TEST_VALUES, ...SETTINGS }))).filter((o) => !isKustomizeInput(o));
    if (objects.length) out.push({ name: entry.name, objects });
  }
  return out;
}

/** One generated configuration: its objects and the release it targets. */
export interface Generated {
  readonly index: number;
  readonly operatorVersion: string;
  readonly objects: any[];
}

const samples = new Map<string, Generated[]>();

/**
 * A seeded sample of the generated configurations (the same plans as test/util/generated.ts),
 * built once per seed and count.
 */
export function generatedSample(seed: number, count: number): Generated[] {
  const key = `${seed}/${count}`;
  if (!samples.has(key)) samples.set(key, buildSample(seed, count));
  return samples.get(key)!;
}

function buildSample(seed: number, count: number): Generated[] {
  const plans: PlatformPlan[] = fc.sample(platformPlan, { seed, numRuns: count });
  return plans.map((plan, index) => {
    const app = Testing.app();
    const chart = new Chart(app, 'gen');
    const db = new CnpgSharedCluster(chart, plan.cluster.id, clusterProps(plan.cluster));
    if (plan.backup) db.addBackup(backupOptions(plan.backup));
    for (const a of plan.applications) db.addApplication(a.name, applicationProps(a));
    if (plan.monitoring) db.addMonitoring(monitoringOptions(plan.monitoring));
    const text = (chart.node.root as App).synthYaml();
    const objects = parseYaml(fluxSubstitute(text, { ...FLUX_TEST_VALUES, ...plan.cluster.settings?.data }));
    return { index, operatorVersion: db.operatorVersion.version, objects };
  });
}

/** The folder of the hand-written manifests the platform runs today. */
export const REFERENCE_DIR = path.join(REPO_ROOT, 'vendor', 'reference', 'k8s-gitops', 'kubernetes', 'workloads', 'platform', 'databases', 'cloudnative-pg');

/**
 * Flux's default (non-strict) post-build substitution: a variable the settings do not define
 * becomes the empty string (the reference's backup-validation script uses shell variables such as
 * `${S3_ENDPOINT}` that Flux empties this way).
 */
function fluxSubstituteLenient(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::=([^}]*))?\}/g, (_m, name: string, dflt?: string) => vars[name] ?? dflt ?? '');
}

/**
 * The hand-written manifests as Flux applies them: the resources of their kustomization.yaml in
 * order, its `namespace:` set on each, Flux variables substituted from the cluster-settings.
 */
export function referenceManifests(): any[] {
  const kustomization = parseYaml(fs.readFileSync(path.join(REFERENCE_DIR, 'kustomization.yaml'), 'utf-8'))[0];
  return (kustomization.resources as string[]).flatMap((r) => parseYaml(fluxSubstituteLenient(fs.readFileSync(path.join(REFERENCE_DIR, r), 'utf-8'), SETTINGS)))
    .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: kustomization.namespace } }));
}

/** The namespaces that namespaced objects of a set live in (created before a dry run). */
export function namespacesOf(objects: any[]): string[] {
  const ns = new Set<string>();
  for (const o of objects) {
    if (o.kind === 'Namespace') ns.add(o.metadata.name);
    else if (o.metadata?.namespace) ns.add(o.metadata.namespace);
  }
  return [...ns];
}
