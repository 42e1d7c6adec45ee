#!/usr/bin/env bash
# Builds a textclf that runs on machines without a Swift toolchain or ICU (Spark executors):
# the Swift runtime and Foundation linked in with --static-swift-stdlib, and the system's ICU
# linked in from libicu-dev's static archives. Only glibc (libc, libm), libstdc++ and libgcc_s
# stay shared. The normal build is untouched: this uses its own scratch path, and the linker
# flags go on the command line, not into Package.swift.
#
#   bash Scripts/build_static.sh            # builds .build-static/release/textclf and checks it
#
# It then prints the binary's size, its shared libraries (ldd), the newest glibc symbol version
# it needs, and runs it with an empty environment from a directory outside the toolchain and
# the repository. Needs binutils (objdump) and libicu-dev.
set -euo pipefail

cd "$(dirname "$0")/.."
scratch=.build-static
binary=$scratch/release/textclf

# Package.swift links `-licuuc -licudata`. The linker takes the first directory on its search
# path that holds either library, so a directory holding only the static archives, searched
# first, turns those two into static links without touching the manifest.
icu_static=$PWD/$scratch/icu-static
mkdir -p "$icu_static"
for name in icuuc icudata; do
    archive=$(ls /usr/lib/*-linux-gnu/lib$name.a /usr/lib/lib$name.a 2>/dev/null | head -n 1 || true)
    if [[ -z "$archive" ]]; then
        echo "build_static.sh: error: lib$name.a not found; install libicu-dev" >&2
        exit 1
    fi
    ln -sf "$archive" "$icu_static/lib$name.a"
done

# --strip-debug drops the DWARF sections (a fifth of the file) and keeps the symbol table, so
# a crash's backtrace still names functions.
swift build -c release --product textclf --static-swift-stdlib --scratch-path "$scratch" \
    -Xlinker -L"$icu_static" -Xlinker --strip-debug

echo "binary: $binary"
echo "size: $(stat -c %s "$binary") bytes ($(du -h "$binary" | cut -f1))"
echo "shared libraries (ldd):"
ldd "$binary" | sed 's/^/  /'

# Every shared library must be glibc's, libstdc++ or libgcc_s (ICU is C++).
unexpected=$(ldd "$binary" | awk '{print $1}' \
    | grep -Ev '^(linux-vdso\.so\.1|/lib64/ld-linux-x86-64\.so\.2|libc\.so\.6|libm\.so\.6|libstdc\+\+\.so\.6|libgcc_s\.so\.1)$' || true)
if [[ -n "$unexpected" ]]; then
    echo "build_static.sh: error: unexpected shared libraries: $unexpected" >&2
    exit 1
fi

echo "newest symbol versions needed:"
for tag in GLIBC GLIBCXX CXXABI GCC; do
    newest=$(objdump -T "$binary" | grep -o "${tag}_[0-9.]*" | sort -u -V | tail -n 1)
    echo "  ${newest:-$tag: none}"
done

# No PATH, no LD_LIBRARY_PATH, no HOME: what a bare executor gives. Word level on Chinese
# needs ICU's dictionary data, so this shows the data is inside the binary.
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT
cp "$binary" "$outside/textclf"
printf '我们喜欢学习中文\nthe kernel loads the module\n' > "$outside/sample.txt"
(
    cd "$outside"
    env -i ./textclf --version
    env -i ./textclf build-vocab --quiet sample.txt | tail -n +2 | cut -f1 | tr '\n' ' '
    echo
)
echo "runs with env -i from $outside"
