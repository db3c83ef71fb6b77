import { CnpgMonitoringOptions } from '../../src';

/**
 * The alert presets' documented defaults (docs/runbooks/index.md and each runbook's header table,
 * docs/guides/monitoring.md), written here by hand and NOT read from src/monitoring/alert-presets.ts:
 * test/alert-presets.test.ts checks the presets against this table and the table against the
 * docs, and the promtool scenarios (test/integ/monitoring/scenarios.ts) take their default
 * thresholds and `for` from it, so a preset whose threshold or `for` drifts fails both.
 */
export interface DocumentedAlert {
  /** Its field in the group's options (`alerts.<group>.<option>`). */
  readonly option: string;
  readonly group: 'backups' | 'walArchiving' | 'replication' | 'cluster' | 'poolers';
  /** The group as the runbooks' tables write it. */
  readonly docGroup: string;
  readonly severity: 'critical' | 'warning';
  /** Default `for`, in seconds. */
  readonly forSeconds: number;
  /** Default threshold, for the alerts that have one of their own (ThresholdAlertOptions). */
  readonly threshold?: number;
  /** How docs/runbooks/index.md writes the threshold or grace ("Fires when" column). */
  readonly documented?: string;
}

const MIN = 60;

export const DOCUMENTED_ALERTS: { readonly [alert: string]: DocumentedAlert } = {
  CNPGBackupFailed: { option: 'backupFailed', group: 'backups', docGroup: 'backups', severity: 'warning', forSeconds: 5 * MIN },
  // The age thresholds are derived: the schedule's longest interval + 3 h; retention + one interval + 1 d.
  CNPGBackupTooOld: { option: 'backupTooOld', group: 'backups', docGroup: 'backups', severity: 'critical', forSeconds: 10 * MIN, documented: '+ 3h' },
  CNPGRecoverabilityPointTooOld: { option: 'recoverabilityPointTooOld', group: 'backups', docGroup: 'backups', severity: 'warning', forSeconds: 60 * MIN, documented: '+ 1d' },
  CNPGBackupValidationFailed: { option: 'validationFailed', group: 'backups', docGroup: 'backups', severity: 'warning', forSeconds: 5 * MIN },
  CNPGWALArchivingFailing: { option: 'archivingFailing', group: 'walArchiving', docGroup: 'WAL archiving', severity: 'critical', forSeconds: 5 * MIN },
  CNPGWALArchivingStalled: { option: 'archivingStalled', group: 'walArchiving', docGroup: 'WAL archiving', severity: 'warning', forSeconds: 10 * MIN, threshold: 10, documented: 'more than 10 WAL segments' },
  CNPGReplicationLagHigh: { option: 'lagHigh', group: 'replication', docGroup: 'replication', severity: 'warning', forSeconds: 5 * MIN, threshold: 60, documented: 'more than 60 s' },
  CNPGReplicationLagCritical: { option: 'lagCritical', group: 'replication', docGroup: 'replication', severity: 'critical', forSeconds: 5 * MIN, threshold: 300, documented: 'more than 300 s' },
  CNPGReplicaClusterLagging: { option: 'replicaClusterLagging', group: 'replication', docGroup: 'replication', severity: 'warning', forSeconds: 10 * MIN, threshold: 900, documented: 'more than 900 s' },
  CNPGStreamingReplicasMissing: { option: 'streamingReplicasMissing', group: 'replication', docGroup: 'replication', severity: 'warning', forSeconds: 5 * MIN, documented: 'instances − 1' },
  // Critical with dataDurability required, warning with preferred (the table below holds the required case).
  CNPGSyncReplicasMissing: { option: 'syncReplicasMissing', group: 'replication', docGroup: 'replication', severity: 'critical', forSeconds: 2 * MIN },
  CNPGReplicationSlotLagging: { option: 'slotLagging', group: 'replication', docGroup: 'replication', severity: 'warning', forSeconds: 10 * MIN, threshold: 1024 ** 3, documented: 'more than 1 GiB' },
  CNPGInstanceDown: { option: 'instanceDown', group: 'replication', docGroup: 'replication', severity: 'critical', forSeconds: 5 * MIN },
  CNPGInstanceMetricsAbsent: { option: 'metricsAbsent', group: 'cluster', docGroup: 'cluster', severity: 'critical', forSeconds: 10 * MIN },
  CNPGPrimaryMissing: { option: 'primaryMissing', group: 'cluster', docGroup: 'cluster', severity: 'critical', forSeconds: 5 * MIN },
  CNPGCollectorErrors: { option: 'collectorErrors', group: 'cluster', docGroup: 'cluster', severity: 'warning', forSeconds: 15 * MIN },
  CNPGInstanceFenced: { option: 'fencingOn', group: 'cluster', docGroup: 'cluster', severity: 'warning', forSeconds: 5 * MIN },
  CNPGManualSwitchoverRequired: { option: 'manualSwitchoverRequired', group: 'cluster', docGroup: 'cluster', severity: 'warning', forSeconds: 5 * MIN },
  CNPGConnectionsNearMax: { option: 'connectionsNearMax', group: 'cluster', docGroup: 'cluster', severity: 'warning', forSeconds: 5 * MIN, threshold: 0.8, documented: 'above 80 %' },
  CNPGTransactionIdWraparound: { option: 'transactionIdWraparound', group: 'cluster', docGroup: 'cluster', severity: 'warning', forSeconds: 30 * MIN, threshold: 1_000_000_000, documented: 'above 1 billion' },
  CNPGPoolerExporterDown: { option: 'exporterDown', group: 'poolers', docGroup: 'poolers', severity: 'critical', forSeconds: 5 * MIN },
  CNPGPoolerClientsWaiting: { option: 'clientsWaiting', group: 'poolers', docGroup: 'poolers', severity: 'warning', forSeconds: 2 * MIN, threshold: 5, documented: 'more than 5 s' },
  CNPGPoolerServerPoolSaturated: { option: 'serverPoolSaturated', group: 'poolers', docGroup: 'poolers', severity: 'warning', forSeconds: 5 * MIN },
  CNPGPoolerReplicasUnavailable: { option: 'replicasUnavailable', group: 'poolers', docGroup: 'poolers', severity: 'warning', forSeconds: 10 * MIN },
};

/** `for` as the runbooks write it (5m, 1h). */
export function docDuration(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : `${seconds / 60}m`;
}

/** What a cluster's alerts derive their thresholds from. */
export interface AlertInputs {
  readonly instances: number;
  readonly backup?: { readonly maxIntervalSeconds?: number; readonly retentionDays?: number };
  /** The synchronous standbys the replication setting needs. */
  readonly synchronousStandbys?: number;
}

/**
 * The threshold and `for` an alert must have: the documented default, the override of the
 * monitoring options when given, and the documented derivation for the derived ones (backup ages:
 * interval + 3 h; retention + interval + 1 d; replica counts from the cluster).
 */
export function documentedRule(alert: string, monitoring: CnpgMonitoringOptions, inputs: AlertInputs): { threshold?: number; forSeconds: number } {
  const d = DOCUMENTED_ALERTS[alert];
  if (!d) throw new Error(`no documented alert ${alert}`);
  const o: any = (monitoring.alerts as any)?.[d.group]?.[d.option] ?? {};
  const forSeconds = o.forDuration?.toSeconds() ?? d.forSeconds;
  const maxAge: number | undefined = o.maxAge?.toSeconds();
  const grace = (dflt: number): number => o.grace?.toSeconds() ?? dflt;
  const interval = inputs.backup?.maxIntervalSeconds ?? 0;
  switch (alert) {
    case 'CNPGBackupTooOld': return { threshold: maxAge ?? interval + grace(3 * 3600), forSeconds };
    case 'CNPGRecoverabilityPointTooOld': return { threshold: maxAge ?? (inputs.backup?.retentionDays ?? 0) * 86_400 + interval + grace(86_400), forSeconds };
    case 'CNPGStreamingReplicasMissing': return { threshold: inputs.instances - 1, forSeconds };
    case 'CNPGSyncReplicasMissing': return { threshold: inputs.synchronousStandbys, forSeconds };
    case 'CNPGInstanceMetricsAbsent': return { threshold: inputs.instances, forSeconds };
    default: return { threshold: o.threshold ?? d.threshold, forSeconds };
  }
}
