/**
 * The reference platform: what ../shared/reference/ writes by hand, as constructs.
 *
 * One shared CloudNativePG cluster (`shared-postgres`) in its own namespace, configured from the
 * platform's Flux `cluster-settings` ConfigMap. String settings stay Flux variables
 * (`${CNPG_STORAGE_CLASS}`), as in the hand-written manifests, so one synthesized output serves
 * every Kubernetes cluster whose cluster-settings define them.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ClusterSettings, CnpgSharedCluster, SettingsMode } from '../../src';

/** Where the reference cluster-settings live (../shared beside the repository). */
export const REFERENCE_SETTINGS_FILE = process.env.CNPG_SETTINGS_FILE
  ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'reference', 'k8s-gitops', 'kubernetes', 'clusters', 'infra', 'cluster-settings.yaml');

export interface PlatformOptions {
  /** The cluster-settings ConfigMap file. */
  readonly settingsFile?: string;
}

/** Builds the reference platform into `app`; returns its chart. */
export function buildPlatform(app: App, options: PlatformOptions = {}): Chart {
  const settings = ClusterSettings.fromFile(options.settingsFile ?? REFERENCE_SETTINGS_FILE, { mode: SettingsMode.FLUX_VARIABLES });
  const chart = new Chart(app, 'shared-postgres');

  new CnpgSharedCluster(chart, 'shared-postgres', {
    settings,
    // The operator the platform runs: CNPG_OPERATOR_VERSION "0.26.1" is the Helm chart of 1.27.1.
    operatorVersion: settings.operatorVersion,
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

  return chart;
}
