// The public API of @platform/cnpg-constructs: exactly what is exported here.
// The generated CRD imports (src/imports/) are deliberately not exported.
export * from './common/quantity';
export * from './common/scheduling';
export * from './common/service-endpoint';
export * from './secrets/external-secret';
export * from './settings/cluster-settings';
export * from './cluster/attachments';
export * from './cluster/postgres-image';
export * from './cluster/postgres-parameters';
export * from './cluster/replication';
export * from './cluster/tls';
export * from './cluster/shared-cluster';
export * from './backup/schedule';
export * from './backup/options';
export * from './backup/cluster-backup';
export * from './backup/validation-job';
export * from './backup/restore-probe';
export * from './versions/cnpg-version';
export * from './pooler/pgbouncer-parameters';
export * from './pooler/pgbouncer-pooler';
export * from './pooler/connection-budget';
export * from './application/database-objects';
export * from './application/profile';
export * from './application/application';
export * from './monitoring/alert-options';
export * from './monitoring/metric-catalogue';
export * from './monitoring/monitoring';
