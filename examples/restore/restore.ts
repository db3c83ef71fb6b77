/**
 * The reference cluster restored to a point in time into a new cluster, beside it.
 *
 * The source is the reference platform's own backup (examples/platform), built here but not
 * synthesized: `BackupSource.fromBackup(backup)` reads exactly the ObjectStore, server name,
 * endpoint and credentials that backup writes. The restored cluster `shared-postgres-pitr`:
 *
 * - bootstraps with `recovery` from that archive and stops at the target time (UTC);
 * - archives its own WAL and base backups under a new folder, `s3://<bucket>/shared-postgres-pitr`
 *   (server name `shared-postgres-pitr`), never into the source's archive;
 * - keeps the source's `max_connections` (PostgreSQL refuses to recover with less).
 *
 * Apply it next to the running platform; once it is healthy, read the rows you need from it (or
 * point an application at it), then delete it.
 */
import { App, Chart } from 'cdk8s';
import {
  BackupCredentials, BackupSource, ClusterBackup, ClusterBootstrap, ClusterSettings, CnpgSharedCluster, RecoveryTarget, SettingsMode,
  SynchronousReplication,
} from '../../src';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../platform/platform';

export interface RestoreOptions {
  /** The cluster-settings ConfigMap file of the platform. */
  readonly settingsFile?: string;
  /** Where the recovery stops (RFC 3339). */
  readonly targetTime?: string;
}

/** The point in time the example restores to: before a bad migration, say. */
export const EXAMPLE_TARGET_TIME = '2026-11-24T09:30:00Z';

/** Builds the restored cluster into `app`; returns its chart. */
export function buildRestore(app: App, options: RestoreOptions = {}): Chart {
  const settingsFile = options.settingsFile ?? REFERENCE_SETTINGS_FILE;
  // The running reference platform: built to read its backup, not synthesized.
  const platform = buildPlatform(new App(), { settingsFile });
  const backup = platform.node.findAll().find((c): c is ClusterBackup => c instanceof ClusterBackup);
  if (!backup) throw new Error('the reference platform has no backup');

  const settings = ClusterSettings.fromFile(settingsFile, { mode: SettingsMode.FLUX_VARIABLES });
  const chart = new Chart(app, 'restore');
  const restored = new CnpgSharedCluster(chart, 'shared-postgres-pitr', {
    settings,
    clusterName: 'shared-postgres-pitr',
    operatorVersion: settings.operatorVersion,
    // The platform's namespace, which the platform writes.
    createNamespace: false,
    secretStore: { name: settings.value('EXTERNAL_SECRET_STORE') ?? 'onepassword' },
    // A copy to read from: one instance is enough, without synchronous standbys.
    instances: 1,
    replication: SynchronousReplication.asynchronous(),
    // At least the source's (recovery stops with "insufficient parameter settings" otherwise).
    parameters: { maxConnections: 200, sharedBuffers: '512MB' },
    bootstrap: ClusterBootstrap.recovery(BackupSource.fromBackup(backup), {
      target: RecoveryTarget.time(options.targetTime ?? EXAMPLE_TARGET_TIME),
    }),
  });
  // Its own archive: s3://<bucket>/shared-postgres-pitr, server name shared-postgres-pitr. The S3
  // keys are the platform's Secret (same namespace), not a second ExternalSecret.
  restored.addBackup({ credentials: BackupCredentials.fromSecret('cnpg-minio-credentials') });
  return chart;
}
