/**
 * A replica cluster in a second Kubernetes cluster (another region), fed from the reference
 * cluster's object store: CloudNativePG's distributed topology, disaster-recovery side.
 *
 * - `shared-postgres-dr` replays `shared-postgres`'s WAL from its archive (the reference platform's
 *   MinIO bucket, described with the same options its `addBackup` has), bootstrapped from its
 *   newest base backup; every instance is in recovery, reads only.
 * - It archives to its own object store in its own region (`s3://monosense-cnpg-dr/shared-postgres-dr`),
 *   so that once promoted it is backed up at once, and the other side can follow it.
 * - The applications are declared as on the primary (same roles, same passwords from the same
 *   secret store): they work unchanged after a promotion.
 * - Monitoring knows it is a replica cluster: no "primary missing" alert, lag against the source.
 *
 * Promotion is one line: `ReplicaCluster.of(source)` becomes
 * `ReplicaCluster.primary(source, { promotionToken })` (docs/guides/disaster-recovery.md).
 */
import { App, Chart } from 'cdk8s';
import {
  ApplicationProfile, BackupCredentials, BackupSource, ClusterSettings, CnpgSharedCluster, ReplicaCluster, SettingsMode,
} from '../../src';
import { REFERENCE_SETTINGS_FILE } from '../platform/platform';

export interface ReplicaOptions {
  /** The reference platform's cluster-settings ConfigMap (its object store, sizes, secret paths). */
  readonly settingsFile?: string;
}

/** The disaster-recovery region's object store (its own MinIO). */
export const DR_OBJECT_STORE = {
  bucket: 'monosense-cnpg-dr',
  endpointUrl: 'https://minio.dr.monosense.io:9000',
  secretPath: 'kubernetes/dr/cloudnative-pg/minio',
};

/** Builds the replica cluster's manifests (for the second Kubernetes cluster) into `app`. */
export function buildReplica(app: App, options: ReplicaOptions = {}): Chart {
  // The reference platform's values: what its backups write, and how its cluster is sized.
  const reference = ClusterSettings.fromFile(options.settingsFile ?? REFERENCE_SETTINGS_FILE, { mode: SettingsMode.VALUES });
  const chart = new Chart(app, 'replica');

  // The reference cluster's archive, as its addBackup() writes it: s3://<CNPG_BACKUP_BUCKET>/<cluster>,
  // server name <cluster>, on CNPG_MINIO_ENDPOINT_URL, keys from CNPG_MINIO_SECRET_PATH.
  const referenceArchive = BackupSource.objectStore({
    clusterName: reference.clusterName ?? 'shared-postgres',
    bucket: reference.backupBucket,
    endpointUrl: reference.backupEndpointUrl,
    credentials: BackupCredentials.fromSecretStore(reference.backupCredentialsPath!, { secretName: 'cnpg-minio-credentials' }),
    walMaxParallel: 4,
  });

  const dr = new CnpgSharedCluster(chart, 'shared-postgres-dr', {
    settings: reference,
    clusterName: 'shared-postgres-dr',
    operatorVersion: reference.operatorVersion,
    secretStore: { name: reference.value('EXTERNAL_SECRET_STORE') ?? 'onepassword' },
    // At least the source's (a standby cannot replay WAL of a server with more).
    parameters: { maxConnections: 200, sharedBuffers: '512MB' },
    replica: ReplicaCluster.of(referenceArchive),
  });

  // Its own archive, in its own region.
  dr.addBackup({
    bucket: DR_OBJECT_STORE.bucket,
    endpointUrl: DR_OBJECT_STORE.endpointUrl,
    credentials: BackupCredentials.fromSecretStore(DR_OBJECT_STORE.secretPath, { secretName: 'cnpg-minio-dr-credentials' }),
  });

  // The same applications as on the primary: same roles, same passwords (same secret store paths).
  const scraperNamespaces = ['observability'];
  const pooler = (maxDbConnections: number) => ({ parameters: { maxDbConnections, applicationNameAddHost: true } });
  dr.addApplication('keycloak', { profile: ApplicationProfile.KEYCLOAK, pooler: pooler(15), scraperNamespaces });
  dr.addApplication('harbor', { profile: ApplicationProfile.HARBOR, pooler: pooler(12), scraperNamespaces });
  dr.addApplication('gitlab', { profile: ApplicationProfile.GITLAB, pooler: pooler(20), scraperNamespaces });
  dr.addApplication('synergyflow', { profile: ApplicationProfile.SYNERGYFLOW, pooler: pooler(8), scraperNamespaces });

  dr.addMonitoring({ dashboards: { namespace: 'observability', folder: 'Databases' } });
  return chart;
}
