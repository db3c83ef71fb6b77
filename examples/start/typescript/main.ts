// One shared PostgreSQL cluster with an application, backups and monitoring.
// `npx ts-node main.ts` writes dist/databases.k8s.yaml.
import { App, Chart } from 'cdk8s';
import { ApplicationProfile, BackupCredentials, CnpgSharedCluster } from '@platform/cnpg-constructs';

const app = new App();
const chart = new Chart(app, 'databases');

// A CloudNativePG Cluster: 3 instances on 3 nodes, synchronous replication, TLS only,
// in the namespace "databases". Credentials come from this external-secrets ClusterSecretStore.
const cluster = new CnpgSharedCluster(chart, 'shared-postgres', {
  secretStore: { name: 'vault' },
});

// Keycloak's role and database, its password from the store, and its PgBouncer pooler.
const keycloak = cluster.addApplication('keycloak', {
  profile: ApplicationProfile.KEYCLOAK,
  credentials: { remoteKey: 'databases/keycloak' },
});

// WAL archiving and a nightly base backup to S3 (Barman Cloud plugin), checked by a CronJob.
cluster.addBackup({
  bucket: 'postgres-backups',
  endpointUrl: 'https://s3.example.com',
  credentials: BackupCredentials.fromSecretStore('databases/backup-s3'),
});

// A PodMonitor, alert rules with runbooks, and Grafana dashboards.
cluster.addMonitoring();

app.synth();
console.log(`wrote dist/databases.k8s.yaml; Keycloak connects to ${keycloak.endpoint.hostPort}`);
