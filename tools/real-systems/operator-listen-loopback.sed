# The one change made to the operator's source before it is built for the tests
# (.ci/install/real-systems-cnpg.sh applies it to a copy of the module as downloaded and verified): internal/cmd/manager/controller/controller.go creates its webhook server with
# `webhook.Options{Port: port, ...}`, which listens on every interface and has no flag to change
# that. The tests run everything on 127.0.0.1 only, so the server gets `Host: "127.0.0.1"`.
s/^\(\t*\)Port:    port,$/\1Host:    "127.0.0.1",\n\1Port:    port,/
