# Shared by genspeed.sh and batch.sh, which source it after setting
# NAME: a temporary directory ($tmp, removed on exit unless KEEP=1) with a
# bin directory ($bin), log, and the tools they compare.
MOCKERY=github.com/vektra/mockery/v3@v3.9.1

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$NAME.XXXXXX")
if [[ "${KEEP:-}" == 1 ]]; then
	echo "keeping $tmp" >&2
else
	trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
	trap 'exit 130' INT TERM HUP
fi
bin=$tmp/bin
mkdir -p "$bin"
export GOWORK=off

log() { echo "$NAME: $*" >&2; }

# build_breakergen puts breakergen in $bin: $BREAKERGEN if set, else a
# build of this clone's cmd/breakergen.
build_breakergen() {
	if [[ -n "${BREAKERGEN:-}" ]]; then
		cp "$BREAKERGEN" "$bin/breakergen"
		return
	fi
	log "building cmd/breakergen"
	(cd "$root" && go build -o "$bin/breakergen" ./cmd/breakergen)
}

# install_mockery puts mockery in $bin and sets have_mockery to 1, or to 0
# with the reason when it does not install.
install_mockery() {
	have_mockery=1
	log "installing $MOCKERY"
	if ! (cd "$tmp" && GOBIN=$bin go install "$MOCKERY") >"$tmp/mockery-install.log" 2>&1; then
		have_mockery=0
		log "mockery did not install, skipping it:"
		tail -n 5 "$tmp/mockery-install.log" >&2
	fi
}

# write_gomod writes the go.mod of a fixture module at $1 with module path
# $2, requiring this clone's breakergen.
write_gomod() {
	cat >"$1/go.mod" <<EOM
module $2

go $(go env GOVERSION | sed 's/^go//')

require github.com/breakergen/breakergen v0.0.0

replace github.com/breakergen/breakergen => $root
EOM
}
