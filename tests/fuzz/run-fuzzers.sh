#!/bin/sh
# Runs every libFuzzer target for a while on a copy of its seed corpus (the repository is not
# written), prints the executions per target, and fails if any target finds a crash.
#
#   tests/fuzz/run-fuzzers.sh <build-dir> [seconds-per-target, default 60] [target...]
#
# Without target names it runs every tests/fuzz/fuzz_*.cpp; a target that is not built fails.
# The build dir must be configured with -DCMAKE_CXX_COMPILER=clang++ -DSOCKETIO_BUILD_FUZZERS=ON
# and the targets built (e.g. ninja fuzz_httpparser fuzz_enginepayload). Crash inputs are kept in
# <build-dir>/fuzz-artifacts/<target>/.
set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 <build-dir> [seconds-per-target] [target...]" >&2
    exit 2
fi
build=$(cd "$1" && pwd) || exit 2
seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -gt 2 ]; then
    shift 2
    targets="$*"
else
    targets=""
    for source in "$here"/fuzz_*.cpp; do
        name=$(basename "$source" .cpp)
        targets="$targets $name"
    done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/socketio-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

status=0
for target in $targets; do
    exe="$build/tests/fuzz/$target"
    if [ ! -x "$exe" ]; then
        echo "$target: not built ($exe missing)" >&2
        status=1
        continue
    fi
    corpus="$work/$target"
    artifacts="$build/fuzz-artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    if [ -d "$here/corpus/$target" ]; then
        cp "$here/corpus/$target/"* "$corpus/"
    fi

    log="$work/$target.log"
    "$exe" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
    rc=$?

    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ $rc -eq 0 ]; then
        echo "$target: ${execs:-?} executions in ${seconds}s, no crash"
    else
        status=1
        echo "$target: FAILED (exit $rc) after ${execs:-?} executions; artifacts in $artifacts" >&2
        tail -n 40 "$log" >&2
    fi
done
exit $status
