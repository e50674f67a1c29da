#!/usr/bin/env bash
# Fetches the pinned QuickJS source from a registry package, verifies it, patches a copy and builds it with our glue
# into a WASI reactor module: src/Nexus.Sandbox/Engine/build/quickjs.wasm (git-ignored). Safe to run again: it does
# nothing when the output already matches the pinned hash.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out_dir="$here/build"
work="$out_dir/work"
wasm="$out_dir/quickjs.wasm"

QJS_VERSION="2025.04.26-1"
QJS_ORIG="quickjs_2025.04.26.orig.tar.xz"
QJS_SHA256="ec81da5b3249ed648dbc7df4a1654988910e66a118d9b71cb63534216efcfbbe"
# The build is deterministic with Debian's clang 14.0.6 and wasi-libc 0.0~git20220510: the output is pinned too.
# After changing glue.c or this script, the new hash is printed; update ENGINE_SHA256 in the same commit.
ENGINE_SHA256="acef597614b98efedf325cc61bdb26937d53ef7171780cf3c492eb9877074ff6"

log() { echo "[engine] $*" >&2; }

glue_hash() { cat "$here/glue.c" "$here/build-engine.sh" | sha256sum | cut -d' ' -f1; }

if [[ -f "$wasm" && -f "$out_dir/inputs.sha256" && "$(cat "$out_dir/inputs.sha256")" == "$(glue_hash)" ]]; then
  log "up to date: $wasm"
  exit 0
fi

need() { command -v "$1" >/dev/null 2>&1 || { log "missing $1: run scripts/setup.sh (it installs clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32)"; exit 1; }; }
need clang-14; need wasm-ld-14; need xz
[[ -d /usr/include/wasm32-wasi ]] || { log "missing wasi-libc headers: run scripts/setup.sh"; exit 1; }

mkdir -p "$out_dir/src"
tarball="$out_dir/src/$QJS_ORIG"

# The apt mirror comes from this machine's own configuration; nothing is hard-coded.
apt_mirror() {
  local m=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    m=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources)
  fi
  if [[ -z "$m" && -f /etc/apt/sources.list ]]; then
    m=$(awk '$1=="deb"{for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//){print $i; exit}}' /etc/apt/sources.list)
  fi
  echo "$m"
}

fetch_from_debian() {
  local mirror; mirror=$(apt_mirror)
  [[ -n "$mirror" ]] || { log "no apt mirror configured on this machine"; return 1; }
  local aptdir="$out_dir/apt"
  mkdir -p "$aptdir/lists/partial" "$aptdir/archives/partial"
  echo "deb-src $mirror trixie main" > "$aptdir/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$aptdir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
              -o "Dir::State::Lists=$aptdir/lists" -o "Dir::Cache::Archives=$aptdir/archives"
              -o "APT::Sandbox::User=root")
  apt-get "${opts[@]}" update -qq >&2
  (cd "$out_dir/src" && apt-get "${opts[@]}" source --download-only "quickjs=$QJS_VERSION" >&2)
  [[ -f "$tarball" ]]
}

verify() { [[ "$(sha256sum "$1" | cut -d' ' -f1)" == "$2" ]]; }

if [[ ! -f "$tarball" ]] || ! verify "$tarball" "$QJS_SHA256"; then
  rm -f "$tarball"
  log "fetching QuickJS $QJS_VERSION (Debian source package)"
  fetch_from_debian || { log "could not fetch the Debian source package quickjs=$QJS_VERSION; check apt access"; exit 1; }
fi
if ! verify "$tarball" "$QJS_SHA256"; then
  log "sha256 mismatch for $QJS_ORIG: expected $QJS_SHA256, got $(sha256sum "$tarball" | cut -d' ' -f1)"
  exit 1
fi

rm -rf "$work" && mkdir -p "$work"
tar -xJf "$tarball" -C "$work" --strip-components=1
cd "$work"
VER=$(cat VERSION)
# wasi-libc (2022) lacks pthread.h (Atomics) and FE_UPWARD (printf rounding); dtoa.c includes an unused setjmp.h.
sed -i -e 's/^#define CONFIG_ATOMICS$//' -e 's/^#define CONFIG_PRINTF_RNDN$//' quickjs.c
sed -i 's/^#include <setjmp.h>$//' dtoa.c
# A private sysroot: --sysroot=/usr would quietly pull in glibc headers.
mkdir -p sysroot/include sysroot/lib
ln -sfn /usr/include/wasm32-wasi sysroot/include/wasm32-wasi
ln -sfn /usr/lib/wasm32-wasi sysroot/lib/wasm32-wasi
CFLAGS=(--target=wasm32-wasi --sysroot=sysroot -O2 -D_GNU_SOURCE "-DCONFIG_VERSION=\"$VER\"")
pids=()
for f in quickjs libregexp libunicode cutils dtoa; do
  clang-14 "${CFLAGS[@]}" -Wno-everything -include malloc.h -c "$f.c" -o "$f.o" & pids+=($!)
done
clang-14 "${CFLAGS[@]}" -Wall -Werror -I. -c "$here/glue.c" -o glue.o
for p in "${pids[@]}"; do wait "$p"; done
clang-14 --target=wasm32-wasi --sysroot=sysroot -mexec-model=reactor -O2 \
  -Wl,--stack-first -Wl,-z,stack-size=1048576 -Wl,--strip-all \
  quickjs.o libregexp.o libunicode.o cutils.o dtoa.o glue.o -o "$wasm.tmp"
built_sha=$(sha256sum "$wasm.tmp" | cut -d' ' -f1)
if [[ "$built_sha" != "$ENGINE_SHA256" ]]; then
  rm -f "$wasm.tmp"
  log "the built engine's sha256 is $built_sha, not the pinned $ENGINE_SHA256."
  log "If you changed glue.c or this script on purpose, set ENGINE_SHA256 to the new value; otherwise the toolchain"
  log "differs from Debian bookworm's clang-14/wasi-libc and the output cannot be trusted to match."
  exit 1
fi
mv "$wasm.tmp" "$wasm"
glue_hash > "$out_dir/inputs.sha256"
log "built $wasm ($(stat -c %s "$wasm") bytes, sha256 $built_sha, as pinned)"
