/**
 * The reference platform: what vendor/reference/ (the platform's hand-written manifests) writes by hand, as constructs.
 *
 * One shared CloudNativePG cluster (`shared-postgres`) in its own namespace, configured from the
 * platform's Flux `cluster-settings` ConfigMap. String settings stay Flux variables
 * (`${CNPG_STORAGE_CLASS}`), as in the hand-written manifests, so one synthesized output serves
 * every Kubernetes cluster whose cluster-settings define them.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ApplicationProfile, ApplicationProps, BackupCredentials, ClusterSettings, CnpgSharedCluster, CnpgVersion, SettingsMode } from '../../src';

/** The reference cluster-settings (vendored in vendor/reference, see vendor/README.md). */
export const REFERENCE_SETTINGS_FILE = process.env.CNPG_SETTINGS_FILE
  ?? path.resolve(__dirname, '..', '..', 'vendor', 'reference', 'k8s-gitops', 'kubernetes', 'clusters', 'infra', 'cluster-settings.yaml');

export interface PlatformOptions {
  /** The cluster-settings ConfigMap file. */
  readonly settingsFile?: string;
  /**
   * The operator release to target instead of the settings' (the PgBouncer lab synthesizes the
   * platform for 1.30, whose poolers also set the TLS modes).
   */
  readonly operatorVersion?: CnpgVersion;
}

/** Builds the reference platform into `app`; returns its chart. */
export function buildPlatform(app: App, options: PlatformOptions = {}): Chart {
  const settings = ClusterSettings.fromFile(options.settingsFile ?? REFERENCE_SETTINGS_FILE, { mode: SettingsMode.FLUX_VARIABLES });
  const chart = new Chart(app, 'shared-postgres');

  const cluster = new CnpgSharedCluster(chart, 'shared-postgres', {
    settings,
    // The operator the platform runs: CNPG_OPERATOR_VERSION "0.26.1" is the Helm chart of 1.27.1.
    operatorVersion: options.operatorVersion ?? settings.operatorVersion,
    // The store's name is pattern-checked by the ExternalSecret CRD, so it is written as its value
    // (a `${EXTERNAL_SECRET_STORE}` variable would not pass the schema before Flux runs).
    secretStore: { name: settings.value('EXTERNAL_SECRET_STORE') ?? 'onepassword' },
    parameters: {
      maxConnections: 200,
      sharedBuffers: '512MB',
      effectiveCacheSize: '1536MB',
      maintenanceWorkMem: '128MB',
      workMem: '4MB',
      hugePages: 'off',
      walBuffers: '16MB',
      minWalSize: '2GB',
      maxWalSize: '8GB',
      walCompression: 'on',
      defaultStatisticsTarget: 100,
      randomPageCost: 1.1,
      effectiveIoConcurrency: 200,
      checkpointCompletionTarget: 0.9,
      maxWorkerProcesses: 4,
      maxParallelWorkersPerGather: 2,
      maxParallelWorkers: 4,
      maxParallelMaintenanceWorkers: 2,
      autovacuumMaxWorkers: 3,
      autovacuumVacuumCostLimit: 2000,
    },
  });

  // --- applications ---
  // The four applications, one call each: role + password from the secret store
  // (CNPG_<APP>_SECRET_PATH, EXTERNAL_SECRET_STORE), Database, a CNPG_POOLER_REPLICAS-replica
  // pooler with PDB, PodMonitor and NetworkPolicy. The profiles carry the hand-written poolers'
  // pool sizes; 4 apps × 3 replicas of them (285 server connections) do not fit the 187 that
  // max_connections 200 leaves, so maxDbConnections caps what each replica opens (budget: 177).
  const pooler = (parameters: { maxDbConnections: number }): ApplicationProps['pooler'] => ({
    parameters: { ...parameters, applicationNameAddHost: true },
  });
  const scraperNamespaces = ['observability'];
  cluster.addApplication('keycloak', { profile: ApplicationProfile.KEYCLOAK, pooler: pooler({ maxDbConnections: 15 }), scraperNamespaces });
  cluster.addApplication('harbor', { profile: ApplicationProfile.HARBOR, pooler: pooler({ maxDbConnections: 12 }), scraperNamespaces });
  cluster.addApplication('gitlab', { profile: ApplicationProfile.GITLAB, pooler: pooler({ maxDbConnections: 20 }), scraperNamespaces });
  cluster.addApplication('synergyflow', { profile: ApplicationProfile.SYNERGYFLOW, pooler: pooler({ maxDbConnections: 8 }), scraperNamespaces });

  // --- backups ---
  // The Barman Cloud plugin's ObjectStore (s3://CNPG_BACKUP_BUCKET/<cluster> on
  // CNPG_MINIO_ENDPOINT_URL, gzip, AES256, CNPG_BACKUP_RETENTION) as the cluster's WAL archiver;
  // the S3 keys from CNPG_MINIO_SECRET_PATH into the reference's Secret cnpg-minio-credentials; a
  // ScheduledBackup at CNPG_BACKUP_SCHEDULE ("0 0 2 * * *": six fields, seconds first, written as
  // its value); the hardened validation CronJob one hour after each backup.
  cluster.addBackup({
    credentials: BackupCredentials.fromSecretStore(settings.backupCredentialsPath!, { secretName: 'cnpg-minio-credentials' }),
  });

  // --- monitoring ---
  // Replaces the hand-written VMRule (whose backup, readiness and primary alerts read metrics CNPG
  // does not export): a PodMonitor for the instances (each pooler brings its own), the alert
  // presets with runbooks, and the cluster and pooler dashboards where the platform's Grafana
  // sidecar looks. VictoriaMetrics' operator converts PodMonitor and PrometheusRule into
  // VMPodScrape and VMRule. Backups and poolers are read at synth, whatever the order.
  cluster.addMonitoring({
    dashboards: { namespace: 'observability', folder: 'Databases' },
  });

  return chart;
}
