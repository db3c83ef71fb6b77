import { AuditRuleInfo, AuditSeverity } from './finding';

/**
 * The rules of `ManifestAudit`: stable ids (JSON, SARIF and CI filters rely on them), their
 * severity, and the synth-time check of the library each one shares its sentences with.
 *
 * @internal
 */
export const AUDIT_RULES: readonly AuditRuleInfo[] = [
  { id: 'yaml', severity: AuditSeverity.ERROR, description: 'The file is not valid YAML.', libraryCheck: '-' },
  { id: 'cluster-settings', severity: AuditSeverity.ERROR, description: 'A CNPG_* key of the cluster-settings ConfigMap has a value the library refuses.', libraryCheck: 'ClusterSettings' },
  { id: 'flux-variable', severity: AuditSeverity.ERROR, description: 'A ${VAR} the cluster-settings do not define: Flux substitutes the empty string (or fails in strict mode); an expression Flux\'s envsubst cannot parse (${VAR-d}, an unterminated ${); or a value that is not one YAML value in its field once substituted (key: ${X} with X = "a: b"); the last two fail the Kustomization.', libraryCheck: 'FluxDelivery substitution (src/flux/substitution.ts)' },
  { id: 'flux-variable-unresolved', severity: AuditSeverity.NOTE, description: 'Flux variables left as written: without --settings, fields that hold one are not checked.', libraryCheck: '-' },
  { id: 'crd-schema', severity: AuditSeverity.ERROR, description: 'The object does not fit the structural schema of its kind in the targeted release (unknown fields, types, enums, required fields, patterns).', libraryCheck: 'CheckedApiObject (src/checks/schema.ts)' },
  { id: 'fixed-parameter', severity: AuditSeverity.ERROR, description: 'A PostgreSQL parameter CloudNativePG sets itself: its webhook refuses the Cluster.', libraryCheck: 'PostgresParameters.additional, Cluster rule (src/checks/fixed-parameters.ts)' },
  { id: 'cluster-webhook', severity: AuditSeverity.ERROR, description: 'A rule of CloudNativePG\'s Cluster webhook: an image without a tag or with "latest", min_wal_size not below max_wal_size or the WAL volume, serverAltDNSNames with a serverTLSSecret.', libraryCheck: 'Cluster rule (src/checks/cluster-rules.ts)' },
  { id: 'pgbouncer-parameter', severity: AuditSeverity.ERROR, description: 'A PgBouncer parameter outside the targeted release\'s allow-list, forced by the operator, or of the wrong type.', libraryCheck: 'PgBouncerPooler parameters, Pooler rule (src/pooler/pgbouncer-parameters.ts)' },
  { id: 'backup-schedule', severity: AuditSeverity.ERROR, description: 'A ScheduledBackup schedule the operator reads otherwise than meant (five fields), never runs, runs more than hourly, or cannot parse; with its real fire times.', libraryCheck: 'BackupSchedule, ScheduledBackup rule (src/checks/backup-schedule.ts)' },
  { id: 'backup-missing', severity: AuditSeverity.ERROR, description: 'A Cluster archives WAL but no ScheduledBackup takes base backups of it: there is nothing to restore the WAL onto.', libraryCheck: 'ClusterBackup (always writes a ScheduledBackup)' },
  { id: 'superuser-access', severity: AuditSeverity.WARNING, description: 'The postgres superuser can log in with a password, or a superuser Secret is kept while access is off.', libraryCheck: 'SuperuserAccess (disabled by default)' },
  { id: 'operator-namespace', severity: AuditSeverity.ERROR, description: 'A data-plane object (a CloudNativePG object, or a Secret, PodDisruptionBudget or workload that serves one) in the operator\'s namespace.', libraryCheck: 'CnpgSharedCluster namespace (src/checks/operator-namespace.ts)' },
  { id: 'deprecated-field', severity: AuditSeverity.WARNING, description: 'A field the targeted release deprecates (CRD descriptions; in-tree barmanObjectStore; minSyncReplicas/maxSyncReplicas where dataDurability exists).', libraryCheck: 'the constructs never write them' },
  { id: 'pooler-instances', severity: AuditSeverity.ERROR, description: 'A Pooler with fewer than 3 replicas.', libraryCheck: 'PgBouncerPooler instances (src/checks/pooler-availability.ts)' },
  { id: 'pooler-anti-affinity', severity: AuditSeverity.WARNING, description: 'A Pooler whose replicas are not spread over nodes.', libraryCheck: 'PgBouncerPooler antiAffinity' },
  { id: 'pooler-pdb', severity: AuditSeverity.WARNING, description: 'A Pooler without a PodDisruptionBudget over its pods.', libraryCheck: 'PgBouncerPooler podDisruptionBudget' },
  { id: 'pooler-tls', severity: AuditSeverity.ERROR, description: 'A Pooler that lets plain-text clients in.', libraryCheck: 'PgBouncerPooler clientTlsMode and pg_hba, Pooler rule (src/checks/pooler-tls.ts)' },
  { id: 'connection-budget', severity: AuditSeverity.ERROR, description: 'The poolers of a cluster can open more server connections than max_connections leaves them, or cannot be bounded.', libraryCheck: 'ConnectionBudget (src/checks/connection-budget.ts)' },
  { id: 'alert-metric', severity: AuditSeverity.ERROR, description: 'An alert or recording rule reads a cnpg_/barman_cloud_ metric CloudNativePG does not export: it never fires.', libraryCheck: 'CnpgMetricCatalogue and the monitoring tests (vendor/metrics)' },
  { id: 'pod-security', severity: AuditSeverity.ERROR, description: 'A workload (e.g. a backup-validation job) that runs as root or adds Linux capabilities: Pod Security "restricted" refuses it.', libraryCheck: 'BackupValidationJob, CronJob rule (src/checks/pod-security.ts)' },
];

/** The rule of an id. @internal */
export function auditRule(id: string): AuditRuleInfo {
  const r = AUDIT_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no audit rule ${id}`);
  return r;
}
