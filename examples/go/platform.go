// The reference platform in Go: the same objects as examples/platform/platform.ts, block for
// block (test/integ/consumers.test.ts proves the YAML is byte-identical).
package main

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	cnpg "github.com/platform/cnpg-constructs-go/cnpgconstructs"
)

// ReferenceSettingsFile is the reference cluster-settings (vendored in vendor/reference, see vendor/README.md).
func ReferenceSettingsFile() string {
	if file := os.Getenv("CNPG_SETTINGS_FILE"); file != "" {
		return file
	}
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "..", "..", "vendor", "reference", "k8s-gitops", "kubernetes", "clusters", "infra", "cluster-settings.yaml")
}

// BuildPlatform builds the reference platform into app and returns its chart; a non-nil
// operatorVersion targets another operator release than the settings' one.
func BuildPlatform(app cdk8s.App, settingsFile string, operatorVersion cnpg.CnpgVersion) cdk8s.Chart {
	// --- settings ---
	settings := cnpg.ClusterSettings_FromFile(jsii.String(settingsFile), &cnpg.ClusterSettingsOptions{
		Mode: cnpg.SettingsMode_FLUX_VARIABLES,
	})
	chart := cdk8s.NewChart(app, jsii.String("shared-postgres"), nil)

	// --- cluster ---
	store := settings.Value(jsii.String("EXTERNAL_SECRET_STORE"))
	if store == nil {
		store = jsii.String("onepassword")
	}
	cluster := cnpg.NewCnpgSharedCluster(chart, jsii.String("shared-postgres"), &cnpg.CnpgSharedClusterProps{
		Settings: settings,
		// The operator the platform runs: CNPG_OPERATOR_VERSION "0.26.1" is the Helm chart of 1.27.1.
		OperatorVersion: settings.OperatorVersion(),
		// The store's name is pattern-checked by the ExternalSecret CRD, so it is written as its value.
		SecretStore: &cnpg.SecretStoreReference{Name: store},
		Parameters: &cnpg.PostgresParameters{
			MaxConnections:                jsii.Number(200),
			SharedBuffers:                 jsii.String("512MB"),
			EffectiveCacheSize:            jsii.String("1536MB"),
			MaintenanceWorkMem:            jsii.String("128MB"),
			WorkMem:                       jsii.String("4MB"),
			HugePages:                     jsii.String("off"),
			WalBuffers:                    jsii.String("16MB"),
			MinWalSize:                    jsii.String("2GB"),
			MaxWalSize:                    jsii.String("8GB"),
			WalCompression:                jsii.String("on"),
			DefaultStatisticsTarget:       jsii.Number(100),
			RandomPageCost:                jsii.Number(1.1),
			EffectiveIoConcurrency:        jsii.Number(200),
			CheckpointCompletionTarget:    jsii.Number(0.9),
			MaxWorkerProcesses:            jsii.Number(4),
			MaxParallelWorkersPerGather:   jsii.Number(2),
			MaxParallelWorkers:            jsii.Number(4),
			MaxParallelMaintenanceWorkers: jsii.Number(2),
			AutovacuumMaxWorkers:          jsii.Number(3),
			AutovacuumVacuumCostLimit:     jsii.Number(2000),
		},
	})

	// --- applications ---
	// One call each; maxDbConnections caps each replica so that the connection budget fits.
	pooler := func(maxDbConnections float64) *cnpg.PoolerOptions {
		return &cnpg.PoolerOptions{Parameters: &cnpg.PgBouncerParameters{
			MaxDbConnections:       jsii.Number(maxDbConnections),
			ApplicationNameAddHost: jsii.Bool(true),
		}}
	}
	scraperNamespaces := jsii.Strings("observability")
	cluster.AddApplication(jsii.String("keycloak"), &cnpg.ApplicationProps{Profile: cnpg.ApplicationProfile_KEYCLOAK(), Pooler: pooler(15), ScraperNamespaces: scraperNamespaces})
	cluster.AddApplication(jsii.String("harbor"), &cnpg.ApplicationProps{Profile: cnpg.ApplicationProfile_HARBOR(), Pooler: pooler(12), ScraperNamespaces: scraperNamespaces})
	cluster.AddApplication(jsii.String("gitlab"), &cnpg.ApplicationProps{Profile: cnpg.ApplicationProfile_GITLAB(), Pooler: pooler(20), ScraperNamespaces: scraperNamespaces})
	cluster.AddApplication(jsii.String("synergyflow"), &cnpg.ApplicationProps{Profile: cnpg.ApplicationProfile_SYNERGYFLOW(), Pooler: pooler(8), ScraperNamespaces: scraperNamespaces})

	// --- backups ---
	// ObjectStore, plugin entry, ScheduledBackup at CNPG_BACKUP_SCHEDULE, the S3 keys from
	// CNPG_MINIO_SECRET_PATH, the validation CronJob (see platform.ts).
	cluster.AddBackup(&cnpg.ClusterBackupOptions{
		Credentials: cnpg.BackupCredentials_FromSecretStore(settings.BackupCredentialsPath(), &cnpg.BackupCredentialsOptions{
			SecretName: jsii.String("cnpg-minio-credentials"),
		}),
	})

	// --- monitoring ---
	// A PodMonitor for the instances, the alert presets with runbooks and the cluster and pooler
	// dashboards where the platform's Grafana sidecar looks (see platform.ts).
	cluster.AddMonitoring(&cnpg.CnpgMonitoringOptions{
		Dashboards: &cnpg.CnpgDashboardsOptions{Namespace: jsii.String("observability"), Folder: jsii.String("Databases")},
	})

	return chart
}
