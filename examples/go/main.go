// `go run .` (in examples/go): writes the reference platform to CNPG_EXAMPLE_OUTDIR
// (default dist/example-go), like `npx projen synth:example` does from TypeScript.
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

func main() {
	outdir := os.Getenv("CNPG_EXAMPLE_OUTDIR")
	if outdir == "" {
		outdir = "dist/example-go"
	}
	app := cdk8s.NewApp(&cdk8s.AppProps{Outdir: jsii.String(outdir)})
	BuildPlatform(app, ReferenceSettingsFile(), nil)
	app.Synth()
	for _, chart := range *app.Charts() {
		fmt.Printf("wrote %s/%s.k8s.yaml\n", outdir, *chart.Node().Id())
	}
	jsii.Close()
}
