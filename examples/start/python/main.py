"""One shared PostgreSQL cluster with an application, backups and monitoring.
``python main.py`` writes dist/databases.k8s.yaml."""
from cdk8s import App, Chart
from platform_cnpg_constructs import (
    ApplicationCredentials,
    ApplicationProfile,
    BackupCredentials,
    CnpgSharedCluster,
    SecretStoreReference,
)

app = App()
chart = Chart(app, "databases")

# A CloudNativePG Cluster: 3 instances on 3 nodes, synchronous replication, TLS only,
# in the namespace "databases". Credentials come from this external-secrets ClusterSecretStore.
cluster = CnpgSharedCluster(chart, "shared-postgres",
    secret_store=SecretStoreReference(name="vault"),
)

# Keycloak's role and database, its password from the store, and its PgBouncer pooler.
keycloak = cluster.add_application("keycloak",
    profile=ApplicationProfile.KEYCLOAK,
    credentials=ApplicationCredentials(remote_key="databases/keycloak"),
)

# WAL archiving and a nightly base backup to S3 (Barman Cloud plugin), checked by a CronJob.
cluster.add_backup(
    bucket="postgres-backups",
    endpoint_url="https://s3.example.com",
    credentials=BackupCredentials.from_secret_store("databases/backup-s3"),
)

# A PodMonitor, alert rules with runbooks, and Grafana dashboards.
cluster.add_monitoring()

app.synth()
print(f"wrote dist/databases.k8s.yaml; Keycloak connects to {keycloak.endpoint.host_port}")
