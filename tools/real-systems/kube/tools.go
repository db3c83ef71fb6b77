//go:build tools

// Package tools pins the programs this module builds (go mod tidy keeps their dependencies):
// kube-apiserver is built from k8s.io/kubernetes/cmd/kube-apiserver itself.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver/app"
)
