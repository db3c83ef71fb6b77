"""The reference platform in Python: the same objects as examples/platform/platform.ts, block for
block (test/integ/consumers.test.ts proves the YAML is byte-identical)."""
import os
from pathlib import Path
from typing import Optional

from cdk8s import App, Chart
from platform_cnpg_constructs import (
    ApplicationProfile,
    BackupCredentials,
    ClusterSettings,
    CnpgDashboardsOptions,
    CnpgSharedCluster,
    CnpgVersion,
    PgBouncerParameters,
    PoolerOptions,
    PostgresParameters,
    SecretStoreReference,
    SettingsMode,
)

#: The reference cluster-settings (vendored in vendor/reference, see vendor/README.md).
REFERENCE_SETTINGS_FILE = os.environ.get("CNPG_SETTINGS_FILE") or str(
    Path(__file__).resolve().parents[2]
    / "vendor/reference/k8s-gitops/kubernetes/clusters/infra/cluster-settings.yaml"
)


def build_platform(
    app: App,
    settings_file: str = REFERENCE_SETTINGS_FILE,
    operator_version: Optional[CnpgVersion] = None,
) -> Chart:
    """Builds the reference platform into ``app``; returns its chart.

    ``operator_version`` targets another operator release than the settings' one.
    """
    # --- settings ---
    settings = ClusterSettings.from_file(settings_file, mode=SettingsMode.FLUX_VARIABLES)
    chart = Chart(app, "shared-postgres")

    # --- cluster ---
    cluster = CnpgSharedCluster(
        chart,
        "shared-postgres",
        settings=settings,
        # The operator the platform runs: CNPG_OPERATOR_VERSION "0.26.1" is the Helm chart of 1.27.1.
        operator_version=operator_version or settings.operator_version,
        # The store's name is pattern-checked by the ExternalSecret CRD, so it is written as its value.
        secret_store=SecretStoreReference(name=settings.value("EXTERNAL_SECRET_STORE") or "onepassword"),
        parameters=PostgresParameters(
            max_connections=200,
            shared_buffers="512MB",
            effective_cache_size="1536MB",
            maintenance_work_mem="128MB",
            work_mem="4MB",
            huge_pages="off",
            wal_buffers="16MB",
            min_wal_size="2GB",
            max_wal_size="8GB",
            wal_compression="on",
            default_statistics_target=100,
            random_page_cost=1.1,
            effective_io_concurrency=200,
            checkpoint_completion_target=0.9,
            max_worker_processes=4,
            max_parallel_workers_per_gather=2,
            max_parallel_workers=4,
            max_parallel_maintenance_workers=2,
            autovacuum_max_workers=3,
            autovacuum_vacuum_cost_limit=2000,
        ),
    )

    # --- applications ---
    # One call each; maxDbConnections caps what each pooler replica opens (see platform.ts).
    def pooler(max_db_connections: int) -> PoolerOptions:
        return PoolerOptions(
            parameters=PgBouncerParameters(max_db_connections=max_db_connections, application_name_add_host=True),
        )

    scraper_namespaces = ["observability"]
    cluster.add_application("keycloak", profile=ApplicationProfile.KEYCLOAK, pooler=pooler(15), scraper_namespaces=scraper_namespaces)
    cluster.add_application("harbor", profile=ApplicationProfile.HARBOR, pooler=pooler(12), scraper_namespaces=scraper_namespaces)
    cluster.add_application("gitlab", profile=ApplicationProfile.GITLAB, pooler=pooler(20), scraper_namespaces=scraper_namespaces)
    cluster.add_application("synergyflow", profile=ApplicationProfile.SYNERGYFLOW, pooler=pooler(8), scraper_namespaces=scraper_namespaces)

    # --- backups ---
    # ObjectStore, plugin entry, ScheduledBackup at CNPG_BACKUP_SCHEDULE, the S3 keys from
    # CNPG_MINIO_SECRET_PATH, the validation CronJob (see platform.ts).
    cluster.add_backup(
        credentials=BackupCredentials.from_secret_store(settings.backup_credentials_path, secret_name="cnpg-minio-credentials"),
    )

    # --- monitoring ---
    # A PodMonitor for the instances, the alert presets with runbooks and the cluster and pooler
    # dashboards where the platform's Grafana sidecar looks (see platform.ts).
    cluster.add_monitoring(
        dashboards=CnpgDashboardsOptions(namespace="observability", folder="Databases"),
    )

    return chart
