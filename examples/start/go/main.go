// One shared PostgreSQL cluster with an application, backups and monitoring.
// `go run .` writes dist/databases.k8s.yaml.
package main

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	cnpg "github.com/platform/cnpg-constructs-go/cnpgconstructs"
)

func main() {
	defer jsii.Close() // stops the Node.js process that runs the library

	app := cdk8s.NewApp(nil)
	chart := cdk8s.NewChart(app, jsii.String("databases"), nil)

	// A CloudNativePG Cluster: 3 instances on 3 nodes, synchronous replication, TLS only,
	// in the namespace "databases". Credentials come from this external-secrets ClusterSecretStore.
	cluster := cnpg.NewCnpgSharedCluster(chart, jsii.String("shared-postgres"), &cnpg.CnpgSharedClusterProps{
		SecretStore: &cnpg.SecretStoreReference{Name: jsii.String("vault")},
	})

	// Keycloak's role and database, its password from the store, and its PgBouncer pooler.
	keycloak := cluster.AddApplication(jsii.String("keycloak"), &cnpg.ApplicationProps{
		Profile:     cnpg.ApplicationProfile_KEYCLOAK(),
		Credentials: &cnpg.ApplicationCredentials{RemoteKey: jsii.String("databases/keycloak")},
	})

	// WAL archiving and a nightly base backup to S3 (Barman Cloud plugin), checked by a CronJob.
	cluster.AddBackup(&cnpg.ClusterBackupOptions{
		Bucket:      jsii.String("postgres-backups"),
		EndpointUrl: jsii.String("https://s3.example.com"),
		Credentials: cnpg.BackupCredentials_FromSecretStore(jsii.String("databases/backup-s3"), nil),
	})

	// A PodMonitor, alert rules with runbooks, and Grafana dashboards.
	cluster.AddMonitoring(nil)

	app.Synth()
	fmt.Printf("wrote dist/databases.k8s.yaml; Keycloak connects to %s\n", *keycloak.Endpoint().HostPort())
}
