#!/usr/bin/env bash
# Compares the breaker's cost at two revisions in one run: it builds the
# benchmarks of both (this module's comparison benchmarks and the runtime
# package's own), runs them interleaved, one round at a time, so that the
# noise of a shared machine falls on both alike, and prints benchstat's
# old-vs-new table.
#
# Usage: bash bench/ab.sh OLD [NEW]
#   OLD, NEW   git revisions (NEW defaults to HEAD)
#
# Environment:
#   COUNT      rounds (default 8)
#   BENCH      -bench pattern for this module (default 'Closed|Rejected')
#   RTBENCH    -bench pattern for package runtime (default 'AllowDone|Policies')
#   OUT        directory for the raw results (default a new temporary one)
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
	echo "usage: bash bench/ab.sh OLD [NEW]" >&2
	exit 2
fi
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
old=$1
new=${2:-HEAD}
COUNT=${COUNT:-8}
BENCH=${BENCH:-Closed|Rejected}
RTBENCH=${RTBENCH:-AllowDone|Policies}
OUT=${OUT:-$(mktemp -d)}

export PATH="$(go env GOPATH)/bin:$PATH"
if ! command -v benchstat >/dev/null 2>&1; then
	echo "installing benchstat" >&2
	go install golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# build REV NAME: extracts REV and compiles its two benchmark binaries.
build() {
	mkdir -p "$work/$2"
	git -C "$repo" archive "$1" | tar -x -C "$work/$2"
	(cd "$work/$2/bench" && go test -c -o "$work/$2-bench.test" .)
	(cd "$work/$2" && go test -c -o "$work/$2-runtime.test" ./runtime)
}
build "$old" old
build "$new" new

mkdir -p "$OUT"
: >"$OUT/old.txt"
: >"$OUT/new.txt"
for i in $(seq "$COUNT"); do
	echo "round $i of $COUNT" >&2
	order="old new"
	if ((i % 2 == 0)); then
		order="new old" # so neither side always runs first
	fi
	for side in $order; do
		"$work/$side-bench.test" -test.run '^$' -test.bench "$BENCH" -test.benchmem -test.count=1 >>"$OUT/$side.txt"
		"$work/$side-runtime.test" -test.run '^$' -test.bench "$RTBENCH" -test.benchmem -test.count=1 >>"$OUT/$side.txt"
	done
done

echo "raw results: $OUT/old.txt ($old), $OUT/new.txt ($new)" >&2
benchstat "$OUT/old.txt" "$OUT/new.txt"
