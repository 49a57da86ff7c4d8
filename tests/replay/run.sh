#!/bin/sh
# Graph's documented exchanges, replayed (see src/main.rs): generates the whole-Graph crate
# from Graph's v1.0 CSDL into ./graph, builds this tool against it (with the `dynamic`
# feature; up to 8 GB of memory and several minutes on 2 cores), and runs it on the docs.
#
#   GRAPH_CSDL=../shared/corpus/graph-v1.0.csdl.xml GRAPH_DOCS=../graph-docs/api-reference/v1.0/api \
#     tests/replay/run.sh [--list]
#
# CARGO_TARGET_DIR, when set, is where the build goes (reuse one: the crate is large).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
csdl=${GRAPH_CSDL:-$root/../shared/corpus/graph-v1.0.csdl.xml}
docs=${GRAPH_DOCS:-$root/../graph-docs/api-reference/v1.0/api}
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p codegen
"$root/target/release/codegen" generate --metadata "$csdl" --out "$here/graph" --crate-name graph \
  --url-conventions graph --service-root https://graph.microsoft.com/v1.0
cargo build --quiet --manifest-path "$here/Cargo.toml"
exec "${CARGO_TARGET_DIR:-$here/target}/debug/graph-replay" --metadata "$csdl" --docs "$docs" "$@"
