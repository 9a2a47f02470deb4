#!/usr/bin/env bash
# Measures the generator's wall time on a warm cache against
# `go list -export -deps` of the same package, moq and mockery, on two
# fixture packages written into a temporary module:
#   agent  one file with the AgentClient interface
#   fleet  30 files importing net/http, AgentClient among them
#   redis  an empty package that wraps go-redis v9's Cmdable (618 methods,
#          declared in a dependency module, fetched from the module proxy);
#          go list and moq are given the go-redis package
# Also times cmd/loadonly, the packages.Load that breakergen runs and
# nothing else: the floor golang.org/x/tools/go/packages puts under
# breakergen.
# Prints a Markdown table of medians and the ratios breakergen/go-list,
# breakergen/moq, breakergen/mockery, breakergen/packages.Load and
# packages.Load/go-list.
#
# Environment:
#   RUNS     timed runs per command (default 20)
#   WARMUP   untimed runs per command first (default 3)
#   KEEP=1   keep the temporary directory and print its path
#   BREAKERGEN  use this breakergen binary instead of building cmd/breakergen
#   BASELINE    also time this breakergen binary, an older build say, in the
#            same rounds, and print breakergen / baseline: a before-and-after
#            ratio that a change of the machine's load falls on alike
#   TIMER=hyperfine  time each command's runs in a block with hyperfine
#            instead of in rounds
# By default the commands of a package run in rounds: each round runs
# every command once, in an order that turns from round to round, so that
# a change in the load of a shared machine falls on all of them alike. A
# ratio is then the median of the rounds' ratios; with hyperfine it is the
# ratio of the medians.
set -euo pipefail
# One decimal separator for printf and awk.
export LC_ALL=C

RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
MOQ=github.com/matryer/moq@v0.8.1

NAME=genspeed
source "$(dirname "$0")/genlib.sh"

# --- tools ------------------------------------------------------------------

build_breakergen
if [[ -n "${BASELINE:-}" ]]; then cp "$BASELINE" "$bin/baseline"; fi
log "building bench/cmd/loadonly"
(cd "$root/bench" && go build -o "$bin/loadonly" ./cmd/loadonly)

log "installing $MOQ"
(cd "$tmp" && GOBIN=$bin go install "$MOQ")

install_mockery

# --- fixtures ---------------------------------------------------------------

mod=$tmp/fixture
mkdir -p "$mod/agent" "$mod/fleet"
write_gomod "$mod" example.com/fixture

cat >"$mod/agent/agent.go" <<'EOF'
// Package agent is a client for remote agents.
package agent

import (
	"context"
	"time"
)

// Task is a unit of work for an agent.
type Task struct {
	ID       string
	Payload  []byte
	Deadline time.Time
	Labels   map[string]string
}

// Status is what an agent reports about a task.
type Status struct {
	ID       string
	Done     bool
	Progress float64
	Err      string
}

// AgentClient talks to one agent.
type AgentClient interface {
	Dispatch(ctx context.Context, t Task) (string, error)
	Status(ctx context.Context, id string) (Status, error)
	Cancel(ctx context.Context, id string) error
	Logs(ctx context.Context, id string, since time.Time) ([]string, error)
	Heartbeat(ctx context.Context) (time.Duration, error)
	Name() string
}
EOF

# fleet: 30 files; file 00 declares AgentClient, the others give the
# package some bulk that uses net/http.
cat >"$mod/fleet/client.go" <<'EOF'
// Package fleet manages agents over HTTP.
package fleet

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"time"
)

// AgentClient talks to one agent over HTTP.
type AgentClient interface {
	Do(ctx context.Context, req *http.Request) (*http.Response, error)
	Dispatch(ctx context.Context, u *url.URL, body io.Reader) (string, error)
	Status(ctx context.Context, id string) (http.Header, int, error)
	Cancel(ctx context.Context, id string) error
	Heartbeat(ctx context.Context) (time.Duration, error)
	Transport() http.RoundTripper
}
EOF
for i in $(seq -w 1 29); do
	cat >"$mod/fleet/handler_$i.go" <<EOF
package fleet

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Handler$i serves the /v$i endpoints.
type Handler$i struct {
	Client  *http.Client
	Base    string
	Timeout time.Duration
	mux     *http.ServeMux
}

// Request$i is the body of a /v$i call.
type Request$i struct {
	ID     string            \`json:"id"\`
	Args   []string          \`json:"args"\`
	Labels map[string]string \`json:"labels"\`
}

// NewHandler$i returns a handler with its routes registered.
func NewHandler$i(base string) *Handler$i {
	h := &Handler$i{Client: &http.Client{Timeout: 5 * time.Second}, Base: base, Timeout: time.Second}
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("GET /v$i/{id}", h.get)
	h.mux.HandleFunc("POST /v$i", h.post)
	return h
}

func (h *Handler$i) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func (h *Handler$i) get(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if strings.TrimSpace(id) == "" {
		http.Error(w, "missing id", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(Request$i{ID: id})
}

func (h *Handler$i) post(w http.ResponseWriter, r *http.Request) {
	var req Request$i
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// Fetch$i gets one item from the remote /v$i endpoint.
func (h *Handler$i) Fetch$i(ctx context.Context, id string) (*Request$i, error) {
	ctx, cancel := context.WithTimeout(ctx, h.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/v$i/%s", h.Base, id), nil)
	if err != nil {
		return nil, err
	}
	resp, err := h.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("v$i: %s", resp.Status)
	}
	var out Request$i
	return &out, json.NewDecoder(resp.Body).Decode(&out)
}
EOF
done

# redis: the wrapper of a dependency's interface goes into the current
# directory's package.
mkdir -p "$mod/redis"
printf 'package redis\n\nimport _ "github.com/redis/go-redis/v9"\n' >"$mod/redis/doc.go"
REDIS=github.com/redis/go-redis/v9

# src PKG is the package the commands read: . or go-redis.
src() { if [[ $1 == redis ]]; then echo "$REDIS"; else echo .; fi; }
# exportflag PKG is loadonly's flag for the way breakergen loads PKG's
# source: a package of another module from export data alone.
exportflag() { if [[ $1 == redis ]]; then echo "-export "; fi; }
# typ PKG is the interface.
typ() { if [[ $1 == redis ]]; then echo Cmdable; else echo AgentClient; fi; }

# Mocks go to packages of their own inside the module, so that they are
# built and vetted with it.
moqdir=$mod/mocks/moq
mkdir -p "$moqdir/agent" "$moqdir/fleet" "$moqdir/redis"
for pkg in agent fleet redis; do
	path=example.com/fixture/$pkg
	if [[ $pkg == redis ]]; then path=$REDIS; fi
	cat >"$tmp/mockery-$pkg.yml" <<EOF
template: matryer
dir: $mod/mocks/mockery/$pkg
filename: mocks.go
pkgname: mocks
structname: "{{.InterfaceName}}Mock"
log-level: error
packages:
  $path:
    interfaces:
      $(typ "$pkg"):
EOF
done

# --- warm up and check ------------------------------------------------------

log "warming caches"
# Generate first: the module needs the runtime only once a wrapper imports it.
(cd "$mod" && go mod tidy)
for pkg in agent fleet redis; do
	(cd "$mod/$pkg" && "$bin/breakergen" -type="$(typ "$pkg")" "$(src "$pkg")")
done
(cd "$mod" && go mod tidy)
redisdir=$(cd "$mod/redis" && go list -f '{{.Dir}}' "$REDIS")
# moq reads a directory.
moqsrc() { if [[ $1 == redis ]]; then echo "$redisdir"; else echo .; fi; }
for pkg in agent fleet redis; do
	(cd "$mod/$pkg" &&
		"$bin/breakergen" -type="$(typ "$pkg")" "$(src "$pkg")" &&
		go list -export -deps "$(src "$pkg")" >/dev/null &&
		"$bin/loadonly" $(exportflag "$pkg")"$(src "$pkg")" &&
		"$bin/moq" -out "$moqdir/$pkg/mocks.go" -pkg mocks "$(moqsrc "$pkg")" "$(typ "$pkg")")
	if ((have_mockery)); then
		(cd "$mod/$pkg" && "$bin/mockery" --config "$tmp/mockery-$pkg.yml" >/dev/null 2>&1) || {
			log "mockery failed on $pkg, skipping it:"
			(cd "$mod/$pkg" && "$bin/mockery" --config "$tmp/mockery-$pkg.yml" 2>&1 | tail -n 5 >&2) || true
			have_mockery=0
		}
	fi
done
# The generated wrappers must build with the package.
(cd "$mod" && go build ./... && go vet ./...) || log "warning: the fixtures do not build or vet with the generated wrappers"

# --- measure ----------------------------------------------------------------

if [[ "${TIMER:-}" == hyperfine ]] && ! command -v hyperfine >/dev/null 2>&1; then
	log "TIMER=hyperfine, but hyperfine is not installed"
	exit 1
fi

names=(breakergen "go list" packages.Load moq)
if ((have_mockery)); then names+=(mockery); fi
if [[ -n "${BASELINE:-}" ]]; then names+=(baseline); fi

# cmds PKG prints one command line per name, run from the package directory.
cmds() {
	echo "$bin/breakergen -type=$(typ "$1") $(src "$1")"
	echo "go list -export -deps $(src "$1")"
	echo "$bin/loadonly $(exportflag "$1")$(src "$1")"
	echo "$bin/moq -out $moqdir/$1/mocks.go -pkg mocks $(moqsrc "$1") $(typ "$1")"
	if ((have_mockery)); then echo "$bin/mockery --config $tmp/mockery-$1.yml"; fi
	if [[ -n "${BASELINE:-}" ]]; then echo "$bin/baseline -type=$(typ "$1") $(src "$1")"; fi
}

# hyperfine_times PKG prints "name<TAB>median seconds<TAB>min seconds"
# lines, from hyperfine's runs of each command in a block.
hyperfine_times() {
	local -a lines args=()
	local i
	mapfile -t lines < <(cmds "$1")
	for i in "${!lines[@]}"; do args+=(-n "${names[$i]}" "${lines[$i]}"); done
	(cd "$mod/$1" && hyperfine -N --style basic --warmup "$WARMUP" --runs "$RUNS" \
		--export-csv "$tmp/$1.csv" "${args[@]}" >&2)
	# command,mean,stddev,median,user,system,min,...
	awk -F, 'NR > 1 { printf "%s\t%s\t%s\n", $1, $4, $7 }' "$tmp/$1.csv"
}

# round_times PKG prints "name<TAB>round<TAB>seconds" lines: WARMUP untimed
# rounds, then RUNS timed ones, each running every command once, the
# first command of a round being the next one's last. $EPOCHREALTIME
# costs no process, so the clock adds nothing but bash's fork and exec.
round_times() (
	local -a lines cmd
	local n i k r t0 t1
	mapfile -t lines < <(cmds "$1")
	n=${#lines[@]}
	cd "$mod/$1"
	for ((r = -WARMUP; r < RUNS; r++)); do
		for ((k = 0; k < n; k++)); do
			i=$(((k + r + WARMUP) % n))
			read -r -a cmd <<<"${lines[$i]}"
			t0=${EPOCHREALTIME//[.,]/}
			if ! "${cmd[@]}" >/dev/null 2>&1; then
				log "failed in $1: ${lines[$i]}"
				exit 1
			fi
			t1=${EPOCHREALTIME//[.,]/}
			if ((r >= 0)); then printf '%s\t%d\t%.6f\n' "${names[$i]}" "$r" "$(((t1 - t0)))e-6"; fi
		done
	done
)

: >"$tmp/results"
: >"$tmp/rounds"
for pkg in agent fleet redis; do
	log "measuring $pkg"
	if [[ "${TIMER:-}" == hyperfine ]]; then
		hyperfine_times "$pkg" | sed "s/^/$pkg\t/" >>"$tmp/results"
	else
		round_times "$pkg" | sed "s/^/$pkg\t/" >>"$tmp/rounds"
	fi
done
if [[ "${TIMER:-}" == hyperfine ]]; then
	how="hyperfine -N, $WARMUP warm-up + $RUNS runs of each command in a block, median; ratios of the medians"
else
	how="$WARMUP warm-up + $RUNS timed rounds of every command, median; ratios are medians of the rounds' ratios"
	# pkg name round seconds -> pkg name median min
	sort -t$'\t' -k1,1 -k2,2 -k4,4g "$tmp/rounds" | awk -F'\t' '
		function flush() { if (n) printf "%s\t%s\t%.6f\t%.6f\n", key1, key2, (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2, t[1] }
		$1 "\t" $2 != cur { flush(); cur = $1 "\t" $2; key1 = $1; key2 = $2; n = 0 }
		{ t[++n] = $4 }
		END { flush() }' >"$tmp/medians"
	# In the order of the packages and of names.
	for pkg in agent fleet redis; do
		for name in "${names[@]}"; do
			awk -F'\t' -v p="$pkg" -v n="$name" '$1 == p && $2 == n' "$tmp/medians"
		done
	done >"$tmp/results"
fi

echo
echo "Generator speed, warm cache ($how):"
echo
# The ratio of two commands: the median of the rounds' ratios, or, for
# hyperfine, the ratio of the medians.
awk -F'\t' '
	FILENAME == ARGV[1] { t[$1 "/" $2] = $3; lo[$1 "/" $2] = $4; if (!($1 in seen)) { seen[$1] = 1; pk[++np] = $1 } ; if (!($2 in tseen)) { tseen[$2] = 1; tool[++nt] = $2 } ; next }
	{ x[$1 "/" $2, $3] = $4; if ($3 + 1 > nr) nr = $3 + 1 }
	function r(a, b,    n, i, j, v, q) {
		if (!(a in t) || !(b in t)) return "-"
		if (nr == 0) return sprintf("%.2f", t[a] / t[b])
		n = 0
		for (i = 0; i < nr; i++) if ((a, i) in x && (b, i) in x && x[b, i] > 0) {
			v = x[a, i] / x[b, i]
			for (j = n; j > 0 && q[j] > v; j--) q[j + 1] = q[j]
			q[j + 1] = v; n++
		}
		if (n == 0) return "-"
		return sprintf("%.2f", (n % 2) ? q[(n + 1) / 2] : (q[n / 2] + q[n / 2 + 1]) / 2)
	}
	END {
		printf "| package | tool | median ms | min ms | × go list |\n|---|---|--:|--:|--:|\n"
		for (p = 1; p <= np; p++) for (i = 1; i <= nt; i++) {
			k = pk[p] "/" tool[i]
			if (k in t) printf "| %s | %s | %.1f | %.1f | %s |\n", pk[p], tool[i], t[k] * 1000, lo[k] * 1000, r(k, pk[p] "/go list")
		}
		printf "\n| package | breakergen / go list (target ≤ 1.2) | breakergen / moq (target ≤ 1) | breakergen / mockery (target ≤ 1) | breakergen / packages.Load | packages.Load / go list |\n|---|--:|--:|--:|--:|--:|\n"
		for (p = 1; p <= np; p++) {
			b = pk[p] "/breakergen"
			l = pk[p] "/packages.Load"
			printf "| %s | %s | %s | %s | %s | %s |\n", pk[p], r(b, pk[p] "/go list"), r(b, pk[p] "/moq"), r(b, pk[p] "/mockery"), r(b, l), r(l, pk[p] "/go list")
		}
		if ((pk[1] "/baseline") in t) {
			printf "\n| package | breakergen / baseline |\n|---|--:|\n"
			for (p = 1; p <= np; p++) printf "| %s | %s |\n", pk[p], r(pk[p] "/breakergen", pk[p] "/baseline")
		}
	}' "$tmp/results" "$tmp/rounds"
if ((!have_mockery)); then echo; echo "mockery: skipped (see the messages above)"; fi
