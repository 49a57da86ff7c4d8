#!/usr/bin/env bash
# Figures of the CLI and of compiling its output, as the README's "Figures" reports them.
#
#   codegen/benches/figures.sh generate N CODEGEN ARGS...   # N fresh-output runs: median, min, max
#                                                            # wall time, peak RSS, output size
#   codegen/benches/figures.sh compile DIR LABEL CARGO-ARGS... # `cargo check` in a generated crate,
#                                                            # warm, after `touch src/lib.rs`
#   codegen/benches/figures.sh cold LABEL CARGO-COMMAND ARGS... -- DIR...
#                                                            # per DIR, in turn: the command once
#                                                            # for dependencies, then again after
#                                                            # `touch src/lib.rs` without incremental
#                                                            # builds: CPU (user + system) and rustc's
#                                                            # peak RSS
#   codegen/benches/figures.sh layout DIR...                 # per generated crate: Rust files and
#                                                            # bytes, the largest file, and the
#                                                            # share of `#[cfg(...)]` attributes
#
# Example: codegen/benches/figures.sh generate 11 target/release/codegen generate \
#   --metadata ../shared/corpus/graph-v1.0-prod.csdl.xml --url-conventions graph
set -euo pipefail

generate() {
    local n=$1 bin=$2
    shift 2
    local out times=() peaks=()
    out=$(mktemp -d)
    for _ in $(seq "$n"); do
        rm -rf "$out"
        /usr/bin/time -o "$out.time" -f "%e %M" "$bin" "$@" --out "$out" >/dev/null 2>&1
        read -r wall peak < "$out.time"
        times+=("$wall")
        peaks+=("$peak")
    done
    printf "%s\n" "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median %.2f s (min %.2f, max %.2f), ", a[int((NR+1)/2)], a[1], a[NR]}'
    printf "%s\n" "${peaks[@]}" | sort -n | tail -1 | awk '{printf "peak %d MB, ", $1/1024}'
    du -sb "$out" | awk '{printf "output %.1f MB\n", $1/1e6}'
    rm -rf "$out" "$out.time"
}

compile() {
    local dir=$1 label=$2
    shift 2
    cd "$dir"
    cargo check -q "$@" >/dev/null 2>&1 # dependencies and a first build
    touch src/lib.rs
    /usr/bin/time -o /tmp/figures.time -f "%e s wall, %M KB peak RSS" cargo check "$@" >/tmp/figures.out 2>&1
    echo "$label: $(cat /tmp/figures.time); $(grep -c '^warning' /tmp/figures.out || true) warnings"
}

cold() {
    local label=$1
    shift
    local command=()
    while [ "$1" != "--" ]; do
        command+=("$1")
        shift
    done
    shift
    for dir in "$@"; do
        (
            cd "$dir"
            export CARGO_INCREMENTAL=0
            "${command[@]}" -q >/dev/null 2>&1 || true
            touch src/lib.rs
            /usr/bin/time -o /tmp/figures.time -f "%U %S %M" "${command[@]}" >/tmp/figures.out 2>&1
            read -r user system peak < /tmp/figures.time
            awk -v d="$dir" -v l="$label" -v u="$user" -v s="$system" -v p="$peak" -v w="$(grep -c '^warning' /tmp/figures.out || true)" \
                'BEGIN {printf "%s, %s: %.1f s CPU, %.2f GB peak, %d warnings\n", d, l, u + s, p / 1048576, w}'
        )
    done
}

layout() {
    for dir in "$@"; do
        local largest
        largest=$(find "$dir/src" -name '*.rs' -printf '%s %P\n' | sort -n | tail -1)
        find "$dir/src" -name '*.rs' -print0 | xargs -0 cat | awk -v d="$dir" -v l="$largest" -v f="$(find "$dir/src" -name '*.rs' | wc -l)" '
            { total += length($0) + 1
              # Every `#[cfg(...)]` attribute, wherever it stands on the line.
              n = split($0, parts, "#\\[cfg\\(")
              for (i = 2; i <= n; i++) cfg += index(parts[i], ")]") + 7 }
            END { split(l, big, " ")
                  printf "%s: %d files, %.2f MB; largest %s (%.2f MB); cfg attributes %.2f MB (%.1f%%)\n",
                      d, f, total / 1e6, big[2], big[1] / 1e6, cfg / 1e6, 100 * cfg / total }'
    done
}

"$@"
