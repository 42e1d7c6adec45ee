#!/bin/sh
# Builds the TextClf documentation (Sources/TextClf/TextClf.docc plus every public
# declaration's doc comment) with the toolchain's own docc: nothing is fetched.
#
#   sh Scripts/docs.sh [OUTPUT]      # default .build-docs/TextClf.doccarchive
#
# It fails when docc warns (a broken link, a malformed comment) or when a public declaration
# has no doc comment. Open OUTPUT with `docc preview`, or serve it as a static site.
set -eu
cd "$(dirname "$0")/.."
scratch=.build-docs
output=${1:-$scratch/TextClf.doccarchive}

# The public API's symbol graph (SPI and package declarations are left out), extracted as
# `swift package dump-symbol-graph` does, but for the library module only.
swift build --scratch-path "$scratch" --target TextClf >/dev/null
bin=$(swift build --scratch-path "$scratch" --show-bin-path)
tools=$(dirname "$(readlink -f "$(command -v swift)")")
only=$scratch/TextClf-symbol-graphs
rm -rf "$only"
mkdir -p "$only"
"$tools"/swift-symbolgraph-extract -module-name TextClf -target "$(uname -m)-unknown-linux-gnu" \
    -module-cache-path "$bin/ModuleCache" -I "$bin/Modules" \
    -Xcc -fmodule-map-file="$bin/CKernels.build/module.modulemap" -Xcc -I -Xcc Sources/CKernels/include \
    -Xcc -fmodule-map-file="$bin/CICU.build/module.modulemap" -Xcc -I -Xcc Sources/CICU/include \
    -minimum-access-level public -skip-synthesized-members -omit-extension-block-symbols \
    -output-dir "$only"

python3 - "$only/TextClf.symbols.json" <<'PY'
import json, sys
symbols = json.load(open(sys.argv[1]))["symbols"]
missing = [".".join(s["pathComponents"]) for s in symbols
           if not s.get("docComment") and s.get("location")]
print(f"{len(symbols)} public declarations, {len(missing)} without a doc comment", file=sys.stderr)
for name in missing:
    print(f"  undocumented: {name}", file=sys.stderr)
sys.exit(1 if missing else 0)
PY

"$tools"/docc convert Sources/TextClf/TextClf.docc \
    --additional-symbol-graph-dir "$only" \
    --fallback-display-name TextClf --fallback-bundle-identifier textclf.TextClf \
    --warnings-as-errors --output-path "$output"
echo "wrote $output" >&2
