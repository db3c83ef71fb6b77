"""The reference platform in Python: the same objects as examples/platform/platform.ts, block for
block (test/integ/consumers.test.ts proves the YAML is byte-identical)."""
import os
from pathlib import Path

from cdk8s import App, Chart
from platform_cnpg_constructs import (
    ClusterSettings,
    CnpgSharedCluster,
    PostgresParameters,
    SettingsMode,
)

#: Where the reference cluster-settings live (../shared beside the repository).
REFERENCE_SETTINGS_FILE = os.environ.get("CNPG_SETTINGS_FILE") or str(
    Path(__file__).resolve().parents[3]
    / "shared/reference/k8s-gitops/kubernetes/clusters/infra/cluster-settings.yaml"
)


def build_platform(app: App, settings_file: str = REFERENCE_SETTINGS_FILE) -> Chart:
    """Builds the reference platform into ``app``; returns its chart."""
    # --- settings ---
    settings = ClusterSettings.from_file(settings_file, mode=SettingsMode.FLUX_VARIABLES)
    chart = Chart(app, "shared-postgres")

    # --- cluster ---
    CnpgSharedCluster(
        chart,
        "shared-postgres",
        settings=settings,
        # The operator the platform runs: CNPG_OPERATOR_VERSION "0.26.1" is the Helm chart of 1.27.1.
        operator_version=settings.operator_version,
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

    return chart
