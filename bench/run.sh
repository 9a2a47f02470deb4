#!/usr/bin/env bash
# Runs the comparison benchmarks in one `go test -bench` invocation and
# prints a Markdown table of benchstat medians with ratios to the direct
# call and to gobreaker, plus the runtime issue's targets.
#
# Environment:
#   COUNT      runs per benchmark (default 8)
#   BENCHTIME  -benchtime value (default: go test's, 1s)
#   BENCH      -bench pattern (default .)
#   OUT        raw `go test` output file (default $TMPDIR/breakergen-bench.txt)
#   REUSE=1    tabulate an existing OUT instead of running the benchmarks
set -euo pipefail

cd "$(dirname "$0")"

COUNT=${COUNT:-8}
BENCHTIME=${BENCHTIME:-}
BENCH=${BENCH:-.}
OUT=${OUT:-${TMPDIR:-/tmp}/breakergen-bench.txt}

export PATH="$(go env GOPATH)/bin:$PATH"
if ! command -v benchstat >/dev/null 2>&1; then
	echo "installing benchstat" >&2
	go install golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
fi

args=(-run '^$' -bench "$BENCH" -benchmem -count="$COUNT")
if [[ -n "$BENCHTIME" ]]; then
	args+=(-benchtime="$BENCHTIME")
fi

if [[ "${REUSE:-}" != 1 ]]; then
	echo "go test ${args[*]} ./... > $OUT" >&2
	go test "${args[@]}" ./... >"$OUT"
fi

echo '```'
benchstat "$OUT"
echo '```'
echo

# benchstat's CSV has one table per unit; keep the medians of sec/op and
# allocs/op, keyed by benchmark name without the -GOMAXPROCS suffix.
benchstat -format csv "$OUT" 2>/dev/null | awk -F, '
	/^,/ && $3 == "CI" { unit = $2; next }
	/^$/ { unit = ""; next }
	unit == "sec/op" || unit == "allocs/op" {
		name = $1
		if (name == "geomean" || name == "") next
		sub(/-[0-9]+$/, "", name)
		if (!(name in seen)) { seen[name] = 1; order[++n] = name }
		if (unit == "sec/op") ns[name] = $2 * 1e9
		else allocs[name] = $2
	}
	function group(name) { return substr(name, 1, index(name, "/") - 1) }
	function variant(name) { return substr(name, index(name, "/") + 1) }
	# The direct call a group is compared with: rejections replace a
	# successful call, serial or parallel.
	function directOf(g) {
		if (g == "Rejected") return "Closed/direct"
		if (g == "RejectedParallel") return "ClosedParallel/direct"
		return g "/direct"
	}
	function ratio(a, b) { return (b in ns && ns[b] > 0) ? sprintf("%.2f", ns[a] / ns[b]) : "-" }
	END {
		if (n == 0) { print "no benchmark results" > "/dev/stderr"; exit 1 }
		print "| benchmark | guard | ns/op | allocs/op | ns over direct | × direct | × gobreaker |"
		print "|---|---|--:|--:|--:|--:|--:|"
		for (i = 1; i <= n; i++) {
			name = order[i]; g = group(name); d = directOf(g)
			over = (d in ns) ? sprintf("%+.1f", ns[name] - ns[d]) : "-"
			printf "| %s | %s | %.2f | %s | %s | %s | %s |\n", g, variant(name), ns[name], allocs[name], over, ratio(name, d), ratio(name, g "/gobreaker")
		}

		# Targets of the runtime issue, from the same run.
		s = "Closed/breakergen"; r = "Rejected/breakergen"
		if (!(s in ns) || !("Closed/direct" in ns) || !("Closed/gobreaker" in ns)) exit 0
		print ""
		print "| target (runtime issue) | measured | met |"
		print "|---|--:|:-:|"
		printf "| closed success: 0 allocs/op | %s | %s |\n", allocs[s], (allocs[s] == 0 ? "yes" : "no")
		over = ns[s] - ns["Closed/direct"]
		printf "| closed success: ≤ 12 ns over direct | %+.1f ns | %s |\n", over, (over <= 12 ? "yes" : "no")
		x = ns["Closed/gobreaker"] / ns[s]
		printf "| closed success: ≥ 8× cheaper than gobreaker Execute | %.1f× | %s |\n", x, (x >= 8 ? "yes" : "no")
		if ((r in ns) && ("Rejected/gobreaker" in ns)) {
			printf "| rejection: cheaper than gobreaker (ns/op) | %.1f vs %.1f | %s |\n", ns[r], ns["Rejected/gobreaker"], (ns[r] < ns["Rejected/gobreaker"] ? "yes" : "no")
			printf "| rejection: ≤ 1 alloc/op | %s | %s |\n", allocs[r], (allocs[r] <= 1 ? "yes" : "no")
		}
	}'
