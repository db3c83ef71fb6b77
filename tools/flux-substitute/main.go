// flux-substitute: Flux's own post-build variable substitution (github.com/fluxcd/pkg/kustomize
// SubstituteVariables, the code kustomize-controller runs), for the integration tests: it reads a
// cluster-settings ConfigMap and a multi-document YAML stream of Kubernetes objects, substitutes
// each object as kustomize-controller does with `postBuild.substituteFrom` that ConfigMap, and
// prints the objects as one JSON array.
//
//	flux-substitute [-strict] -settings cluster-settings.yaml < objects.yaml > objects.json
//
// The settings' data are given to SubstituteVariables as `postBuild.substitute` with DryRun (no
// API server to read the ConfigMap from): LoadVariables copies a ConfigMap's data the same way
// (newlines removed), so the variables are the same. Objects whose substitution is disabled
// (kustomize.toolkit.fluxcd.io/substitute: disabled) are printed unchanged. An error (strict mode
// and an undefined variable, or YAML the substitution breaks) is printed as {"error": "..."} in
// the object's place, so the caller sees which object failed.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/fluxcd/pkg/kustomize"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/provider"
	"sigs.k8s.io/yaml"
)

func main() {
	settingsFile := flag.String("settings", "", "the cluster-settings ConfigMap (YAML)")
	strict := flag.Bool("strict", false, "fail on a variable the settings do not define (StrictPostBuildSubstitutions)")
	flag.Parse()
	if *settingsFile == "" {
		fmt.Fprintln(os.Stderr, "usage: flux-substitute [-strict] -settings cluster-settings.yaml < objects.yaml")
		os.Exit(2)
	}
	if err := run(*settingsFile, *strict, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "flux-substitute:", err)
		os.Exit(1)
	}
}

func run(settingsFile string, strict bool, in io.Reader, out io.Writer) error {
	raw, err := os.ReadFile(settingsFile)
	if err != nil {
		return err
	}
	var cm struct {
		Data map[string]string `json:"data"`
	}
	if err := yaml.Unmarshal(raw, &cm); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	vars := map[string]interface{}{}
	for k, v := range cm.Data {
		vars[k] = v
	}
	ks := unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": "kustomize.toolkit.fluxcd.io/v1",
		"kind":       "Kustomization",
		"metadata":   map[string]interface{}{"name": "flux-substitute", "namespace": "flux-system"},
		"spec":       map[string]interface{}{"postBuild": map[string]interface{}{"substitute": vars}},
	}}

	stream, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	// As kustomize reads a resource file (kustomize-controller builds with the same factory).
	factory := provider.NewDefaultDepProvider().GetResourceFactory()
	resources, err := factory.SliceFromBytes(stream)
	if err != nil {
		return fmt.Errorf("objects: %w", err)
	}
	results := []interface{}{}
	opts := []kustomize.SubstituteOption{kustomize.SubstituteWithDryRun(true), kustomize.SubstituteWithStrict(strict)}
	for _, res := range resources {
		substituted, err := kustomize.SubstituteVariables(context.Background(), nil, ks, res, opts...)
		if err != nil {
			results = append(results, map[string]string{"error": err.Error()})
			continue
		}
		if substituted == nil { // substitution disabled on this object
			substituted = res
		}
		m, err := substituted.Map()
		if err != nil {
			results = append(results, map[string]string{"error": err.Error()})
			continue
		}
		results = append(results, m)
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", " ")
	return enc.Encode(results)
}
