import { Chart } from 'cdk8s';
import { chart, ofKind, synth } from './synth';
import {
  BackupCredentials, BackupInfo, BackupMethod, BackupSource, CnpgMonitoring, CnpgMonitoringOptions, CnpgSharedCluster, ReplicaCluster,
  SynchronousReplication,
} from '../../src';

/** The backup the fixtures attach: daily at 02:00, 30 days, validated by a CronJob. */
export function dailyBackup(method: BackupMethod = BackupMethod.PLUGIN): BackupInfo {
  return {
    method,
    schedule: '0 0 2 * * *',
    maxIntervalSeconds: 86_400,
    retentionDays: 30,
    validationCronJobName: 'pg-backup-validation',
  };
}

export interface FixtureOptions {
  readonly monitoring?: CnpgMonitoringOptions;
  /** Undefined: none attached. */
  readonly backup?: BackupInfo;
  readonly poolers?: Array<{ name: string; instances: number }>;
  readonly replication?: SynchronousReplication;
  readonly instances?: number;
  /** A replica cluster of this source cluster (its archive in s3://source-backups/<name>). */
  readonly replicaOf?: string;
}

/** Alerts only a replica cluster has. */
export const REPLICA_ONLY_ALERTS = ['CNPGReplicaClusterLagging'];
/** Alerts a replica cluster does not have. */
export const PRIMARY_ONLY_ALERTS = ['CNPGReplicationLagHigh', 'CNPGReplicationLagCritical', 'CNPGSyncReplicasMissing', 'CNPGPrimaryMissing'];

export interface Fixture {
  readonly chart: Chart;
  readonly cluster: CnpgSharedCluster;
  readonly monitoring: CnpgMonitoring;
  readonly manifests: any[];
}

/**
 * A cluster `pg` in `databases` with monitoring added FIRST and the backup and poolers attached
 * after it, as a construct order that only works when monitoring reads them at synth.
 */
export function monitoredCluster(options: FixtureOptions = {}): Fixture {
  const c = chart();
  const cluster = new CnpgSharedCluster(c, 'pg', {
    clusterName: 'pg',
    instances: options.instances ?? 3,
    replication: options.replication,
    replica: options.replicaOf === undefined ? undefined
      : ReplicaCluster.of(BackupSource.objectStore({ clusterName: options.replicaOf, bucket: 'source-backups', credentials: BackupCredentials.fromSecret('source-s3') })),
  });
  const monitoring = cluster.addMonitoring(options.monitoring);
  if (options.backup) cluster._registerBackup(options.backup);
  for (const p of options.poolers ?? []) {
    cluster._registerPooler({ poolerName: p.name, namespace: 'databases', instances: p.instances, type: 'rw', application: p.name.replace(/-pooler$/, '') });
  }
  return { chart: c, cluster, monitoring, manifests: synth(c) };
}

/** The two poolers the fixtures attach. */
export const TWO_POOLERS = [{ name: 'harbor-pooler', instances: 3 }, { name: 'keycloak-pooler', instances: 2 }];

/** The rules of every PrometheusRule, as a Prometheus rule file (`groups:`). */
export function ruleFile(manifests: any[]): { groups: any[] } {
  return { groups: ofKind(manifests, 'PrometheusRule').flatMap((r) => r.spec.groups ?? []) };
}

/** Every alerting rule of the manifests. */
export function alertRules(manifests: any[]): any[] {
  return ruleFile(manifests).groups.flatMap((g) => g.rules);
}

/** The dashboards (parsed JSON) of the manifests' ConfigMaps with the Grafana sidecar label. */
export function dashboards(manifests: any[]): any[] {
  return ofKind(manifests, 'ConfigMap')
    .filter((cm) => cm.metadata.labels?.grafana_dashboard !== undefined)
    .flatMap((cm) => Object.values(cm.data as Record<string, string>).map((json) => JSON.parse(json)));
}
