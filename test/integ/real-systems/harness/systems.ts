/**
 * Which real systems the tests run: tools/real-systems/versions.json (the pinned versions, the
 * one list of CloudNativePG releases) and the binaries the installers built for this checkout
 * (.ci/install/real-systems-*.sh write their paths to .cache/real-systems/*.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const VERSIONS_FILE = path.join(REPO_ROOT, 'tools', 'real-systems', 'versions.json');
const INDEX_DIR = path.join(process.env.CNPG_CACHE_DIR ?? path.join(REPO_ROOT, '.cache'), 'real-systems');

/** One CloudNativePG release of versions.json. */
export interface CnpgRelease {
  /** `1.27.1` */
  readonly version: string;
  readonly commit: string;
  /** Whether its operator is built and run here (else only its CRDs are judged, by the API server). */
  readonly operator: boolean;
  /** Why the operator is not run, when it is not. */
  readonly why?: string;
}

interface VersionsFile {
  readonly kubernetes: { readonly version: string };
  readonly etcd: { readonly version: string };
  readonly cloudnativePg: { readonly module: string; readonly releases: CnpgRelease[] };
  readonly barmanCloudPlugin: { readonly version: string; readonly crds: string };
}

export const VERSIONS: VersionsFile = JSON.parse(fs.readFileSync(VERSIONS_FILE, 'utf-8'));

/**
 * Every CloudNativePG release the tests judge the output against, oldest first
 * (REAL_SYSTEMS_RELEASES=1.27.1,1.30.0 narrows a local run to some of them).
 */
export const RELEASES: CnpgRelease[] = VERSIONS.cloudnativePg.releases.filter((r) =>
  !process.env.REAL_SYSTEMS_RELEASES || process.env.REAL_SYSTEMS_RELEASES.split(',').includes(r.version));

/** Compares `1.27.1`-style versions. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The CRD files of a release (vendor/crds/cnpg-X.Y.Z) and of the other projects the output uses. */
export function crdFiles(release: string): string[] {
  const crds = path.join(REPO_ROOT, 'vendor', 'crds');
  // The Flux Kustomization CRD too: FluxDelivery's output (dist/examples/flux) holds one.
  const flux = fs.readdirSync(crds).filter((d) => d.startsWith('flux-kustomize-controller-'));
  const dirs = [`cnpg-${release}`, path.basename(VERSIONS.barmanCloudPlugin.crds), 'prometheus-operator-0.93.0', 'external-secrets-2.9.0', ...flux];
  return dirs.flatMap((d) => {
    const dir = path.join(crds, d);
    if (!fs.existsSync(dir)) throw new Error(`vendor/crds/${d} is missing`);
    return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(dir, f));
  });
}

export interface Binaries {
  readonly kubeApiserver: string;
  readonly etcd: string;
  /** The operator binary and its webhook configuration, per release whose operator runs. */
  readonly operators: Record<string, { readonly manager: string; readonly webhooks: string; readonly sources: string }>;
  readonly barmanCloudPlugin: string;
}

/** The built binaries; throws, naming the installer, when they are missing. */
export function binaries(): Binaries {
  const read = (name: string, installer: string): any => {
    const file = path.join(INDEX_DIR, name);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run 'bash .ci/deps.sh' (or 'bash .ci/install/${installer}')`);
    return JSON.parse(fs.readFileSync(file, 'utf-8'));
  };
  const kube = read('kube.json', 'real-systems-kube.sh');
  const cnpg = read('cnpg.json', 'real-systems-cnpg.sh');
  const b: Binaries = {
    kubeApiserver: kube.kubeApiserver, etcd: kube.etcdBinary, operators: cnpg.operators, barmanCloudPlugin: cnpg.barmanCloudPlugin.manager,
  };
  const used = RELEASES.filter((r) => r.operator && b.operators[r.version]).map((r) => b.operators[r.version]);
  for (const f of [b.kubeApiserver, b.etcd, b.barmanCloudPlugin, ...used.flatMap((o) => [o.manager, o.webhooks])]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run 'bash .ci/deps.sh'`);
  }
  for (const r of RELEASES.filter((x) => x.operator)) {
    if (!b.operators[r.version]) throw new Error(`the operator ${r.version} is not built: run 'bash .ci/install/real-systems-cnpg.sh'`);
  }
  return b;
}
