// Command etcd is etcd's own entry point (go.etcd.io/etcd/v3's main.go calls the same function):
// the server package is built at the version k8s.io/kubernetes requires.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
