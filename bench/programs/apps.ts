// N applications on one shared cluster, with backup and monitoring: the per-application cost of
// the library (bench/index.ts runs it for N = 1, 10, 100, 500).
//   node apps.js N OUTDIR      (bench/index.ts bundles it with esbuild, the library as lib/)
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ClusterSettings, CnpgSharedCluster, SettingsMode } from '../../src';

const n = Number(process.argv[2]);
const outdir = process.argv[3];
if (!Number.isInteger(n) || n < 1 || !outdir) throw new Error('usage: apps N OUTDIR');

/** The reference cluster-settings: secret store, backup bucket and endpoint, schedule, versions. */
const settingsFile = process.env.CNPG_SETTINGS_FILE
  ?? path.resolve(__dirname, '..', '..', 'vendor', 'reference', 'k8s-gitops', 'kubernetes', 'clusters', 'infra', 'cluster-settings.yaml');

const app = new App({ outdir });
const chart = new Chart(app, 'apps');
const settings = ClusterSettings.fromFile(settingsFile, { mode: SettingsMode.FLUX_VARIABLES });
// Each application's pooler (3 replicas, as the library asks for) is counted for 2 server
// connections per replica in the connection budget: max_connections grows with N so that it fits.
const cluster = new CnpgSharedCluster(chart, 'shared-postgres', {
  settings,
  operatorVersion: settings.operatorVersion,
  secretStore: { name: settings.value('EXTERNAL_SECRET_STORE') ?? 'onepassword' },
  parameters: { maxConnections: 6 * n + 50 },
});
for (let i = 0; i < n; i++) {
  const name = `app${String(i).padStart(3, '0')}`;
  cluster.addApplication(name, {
    credentials: { remoteKey: `kubernetes/infra/cloudnative-pg/${name}` },
    pooler: { parameters: { maxDbConnections: 1 } },
    scraperNamespaces: ['observability'],
  });
}
cluster.addBackup({});
cluster.addMonitoring({ dashboards: { namespace: 'observability' } });
app.synth();
