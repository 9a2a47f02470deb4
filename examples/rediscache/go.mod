module github.com/breakergen/breakergen/examples/rediscache

go 1.26.0

replace github.com/breakergen/breakergen => ../../

tool github.com/breakergen/breakergen/cmd/breakergen

require (
	github.com/breakergen/breakergen v0.0.0-00010101000000-000000000000
	github.com/redis/go-redis/v9 v9.23.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/dave/jennifer v1.7.1 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
)
