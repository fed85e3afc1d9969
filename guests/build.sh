#!/usr/bin/env bash
# Builds the test guests from source into target/guests/ (never committed):
#
#   plugin.module.wasm            C, a core module with no WASI and no libc (clang --target=wasm32)
#   sandbox-probe.module.wasm     C, WASI preview 1 core module (clang --target=wasm32-wasi)
#   sandbox-probe.component.wasm  the same, made a component with the preview 1 command adapter
#   net-probe.component.wasm      C + wit-bindgen bindings of wasi:sockets (wit/guests/net), command
#   greeter.component.wasm        C library world (wit/guests/greeter), reactor adapter
#   kv-app.component.wasm         C + wit-bindgen, imports docs:kv/store, exports docs:kv/app
#   python-app.component.wasm     Python, componentize-py (wit/guests/python)
#   adder-c.component.wasm        C + wit-bindgen, exports docs:calc/adder (wit/guests/calc,
#                                 world adder-world), reactor adapter, imports nothing
#   calculator-c.component.wasm   C + wit-bindgen, imports docs:calc/adder, exports docs:calc/calc
#                                 (world calculator), reactor adapter, imports nothing else
#   adder-core.module.wasm        C, a plain core module (no WASI, no libc, no component type)
#   scoring-c.component.wasm      C + wit-bindgen, exports docs:scoring/scorer (wit/guests/scoring),
#                                 the UDF of the Spark and Flink integrations
#                                 with the canonical-ABI exports of world adder-world, for embed+new
#   python-adder.component.wasm   Python, componentize-py, world adder-world (imports WASI)
#   python-calculator.component.wasm  Python, componentize-py, world calculator (imports WASI)
#   python-http.component.wasm    Python, componentize-py, wasi:http/proxy@0.2.12 (wit/guests/http,
#                                 world http-guest): exports wasi:http/incoming-handler@0.2.12
#   js-http.component.wasm        JavaScript, jco componentize (componentize-js), the same world
#   corpus/<name>.wasm            corpus/components/<name>.wat as a binary (fuzzer seeds)
#
# Incremental: a guest is rebuilt only when one of its inputs (sources, WIT, this script, the
# guest tool) is newer than its output, so a second run costs about a second. A missing toolchain
# is an error, never a skip: the Java tests need every guest (.ci/install-prerequisites.sh
# installs the toolchain).
#
# Environment:
#   GUESTS_OUT       output folder (default: target/guests)
#   WASI_SYSROOT     a wasi-sdk style sysroot (default: /usr/share/wasi-sysroot when it exists,
#                    else Debian's wasi-libc layout, /usr/{include,lib}/wasm32-wasi, which Debian's
#                    clang finds by itself)
#   COMPONENTIZE_PY  the componentize-py to use (default: the venv the prerequisites script makes)
#   JCO              the jco to use (default: the npm install the prerequisites script makes)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${GUESTS_OUT:-$root/target/guests}
gen=$out/gen
mkdir -p "$out" "$gen"

die() {
  printf 'guests/build.sh: %s\n' "$*" >&2
  exit 1
}

# ---- toolchain ---------------------------------------------------------------------------------
command -v clang >/dev/null || die "clang not found (Debian: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32, or run .ci/install-prerequisites.sh)"
command -v wasm-ld >/dev/null || die "wasm-ld not found (Debian package lld)"
sysroot_flags=()
if [ -n "${WASI_SYSROOT:-}" ]; then
  sysroot_flags=(--sysroot="$WASI_SYSROOT")
elif [ -d /usr/share/wasi-sysroot ]; then
  sysroot_flags=(--sysroot=/usr/share/wasi-sysroot)
elif [ ! -f /usr/include/wasm32-wasi/stdio.h ]; then
  die "no WASI libc: neither WASI_SYSROOT, /usr/share/wasi-sysroot nor /usr/include/wasm32-wasi (Debian package wasi-libc)"
fi
builtins=$(clang --target=wasm32-wasi -print-libgcc-file-name)
[ -f "$builtins" ] || die "$builtins not found: clang's wasm32 builtins are missing (Debian package libclang-rt-14-dev-wasm32; without it wasm-ld fails with 'cannot open .../libclang_rt.builtins-wasm32.a')"
cflags=(--target=wasm32-wasi "${sysroot_flags[@]}" -O2 -Wall -Wextra -Werror)
# Commands get newer wasi-libc's _start (see guests/common/command-start.c for why).
command_flags=(-nostartfiles guests/common/command-start.c)

cargo build --release --locked -q -p guest-tool
tool=$root/target/release/guest-tool

built=0
# stale OUTPUT INPUT...: true when OUTPUT is missing or older than an input (or than this script
# or the guest tool, whose adapter is part of every component).
stale() {
  local target=$1
  shift
  [ -f "$target" ] || return 0
  local f
  for f in "$@" "$root/guests/build.sh" "$tool"; do
    if [ -d "$f" ]; then
      if [ -n "$(find -L "$f" -type f -newer "$target" -print -quit)" ]; then
        return 0
      fi
    elif [ "$f" -nt "$target" ]; then
      return 0
    fi
  done
  return 1
}

note() {
  printf '  %-28s %s\n' "$1" "$2"
  built=$((built + 1))
}

# check_exports MODULE: a module exporting cabi_realloc must not have wasm-ld's command export
# wrappers (they would rerun constructors and run destructors whenever the adapter allocates).
check_exports() {
  if grep -q 'cabi_realloc.command_export' "$1"; then
    die "$1: cabi_realloc is wrapped in constructor/destructor calls (link commands with guests/common/command-start.c)"
  fi
}

# bindings NAME WITDIR WORLD: wit-bindgen C bindings in $gen/NAME (header, .c, component type .o)
bindings() {
  local name=$1 wit=$2 world=$3
  if stale "$gen/$name/.stamp" "$wit"; then
    rm -rf "${gen:?}/$name"
    "$tool" bindgen-c "$wit" "$world" "$gen/$name"
    touch "$gen/$name/.stamp"
  fi
}

# ---- C guests ----------------------------------------------------------------------------------
plugin=guests/plugin/plugin.c
if stale "$out/plugin.module.wasm" "$plugin"; then
  # Freestanding: no libc, no WASI, no entry point; the exports are the export_name attributes.
  clang --target=wasm32 -nostdlib -O2 -Wall -Wextra -Werror -Wl,--no-entry \
    -o "$out/plugin.module.wasm" "$plugin"
  note plugin.module.wasm "clang --target=wasm32 (core module, no WASI)"
fi
probe=guests/probe/probe.c
if stale "$out/sandbox-probe.module.wasm" "$probe" guests/common; then
  clang "${cflags[@]}" "${command_flags[@]}" -o "$out/sandbox-probe.module.wasm" "$probe"
  check_exports "$out/sandbox-probe.module.wasm"
  note sandbox-probe.module.wasm "clang (preview 1 command)"
fi
if stale "$out/sandbox-probe.component.wasm" "$out/sandbox-probe.module.wasm"; then
  "$tool" componentize "$out/sandbox-probe.module.wasm" "$out/sandbox-probe.component.wasm" --adapter command
  note sandbox-probe.component.wasm "componentize (command adapter)"
fi

bindings net wit/guests/net net-probe
if stale "$out/net-probe.component.wasm" guests/net guests/common wit/guests/net "$gen/net/.stamp"; then
  clang "${cflags[@]}" "${command_flags[@]}" -I "$gen/net" -o "$out/net-probe.module.wasm" \
    guests/net/net-probe.c "$gen/net/net_probe.c" "$gen/net/net_probe_component_type.o"
  check_exports "$out/net-probe.module.wasm"
  "$tool" componentize "$out/net-probe.module.wasm" "$out/net-probe.component.wasm" --adapter command
  note net-probe.component.wasm "clang + wit-bindgen (wasi:sockets), command adapter"
fi

bindings greeter wit/guests/greeter library
if stale "$out/greeter.component.wasm" guests/greeter "$gen/greeter/.stamp"; then
  clang "${cflags[@]}" -mexec-model=reactor -I "$gen/greeter" -o "$out/greeter.module.wasm" \
    guests/greeter/greeter.c "$gen/greeter/library.c" "$gen/greeter/library_component_type.o"
  check_exports "$out/greeter.module.wasm"
  "$tool" componentize "$out/greeter.module.wasm" "$out/greeter.component.wasm" --adapter reactor
  note greeter.component.wasm "clang + wit-bindgen, reactor adapter"
fi

bindings kv wit/guests/kv kv-app
if stale "$out/kv-app.component.wasm" guests/kv "$gen/kv/.stamp"; then
  clang "${cflags[@]}" -mexec-model=reactor -I "$gen/kv" -o "$out/kv-app.module.wasm" \
    guests/kv/kv-app.c "$gen/kv/kv_app.c" "$gen/kv/kv_app_component_type.o"
  check_exports "$out/kv-app.module.wasm"
  "$tool" componentize "$out/kv-app.module.wasm" "$out/kv-app.component.wasm" --adapter reactor
  note kv-app.component.wasm "clang + wit-bindgen, reactor adapter"
fi

# The seed scenario of issue 10 (wit/guests/calc): adders and calculators by several toolchains.
# They use no WASI, so the reactor adapter is dropped and the components import only the world's
# items. adder-c.module.wasm and calculator-c.module.wasm (the preview 1 reactor modules, with
# wit-bindgen's component type section) stay beside them.
bindings calc-adder wit/guests/calc adder-world
if stale "$out/adder-c.component.wasm" guests/adder-c "$gen/calc-adder/.stamp"; then
  clang "${cflags[@]}" -mexec-model=reactor -I "$gen/calc-adder" -o "$out/adder-c.module.wasm" \
    guests/adder-c/adder.c "$gen/calc-adder/adder_world.c" "$gen/calc-adder/adder_world_component_type.o"
  check_exports "$out/adder-c.module.wasm"
  "$tool" componentize "$out/adder-c.module.wasm" "$out/adder-c.component.wasm" --adapter reactor
  note adder-c.component.wasm "clang + wit-bindgen, reactor adapter"
fi
bindings calc-calculator wit/guests/calc calculator
if stale "$out/calculator-c.component.wasm" guests/calculator-c "$gen/calc-calculator/.stamp"; then
  clang "${cflags[@]}" -mexec-model=reactor -I "$gen/calc-calculator" -o "$out/calculator-c.module.wasm" \
    guests/calculator-c/calculator.c "$gen/calc-calculator/calculator.c" \
    "$gen/calc-calculator/calculator_component_type.o"
  check_exports "$out/calculator-c.module.wasm"
  "$tool" componentize "$out/calculator-c.module.wasm" "$out/calculator-c.component.wasm" --adapter reactor
  note calculator-c.component.wasm "clang + wit-bindgen, reactor adapter"
fi
# The scorer of the Spark and Flink integrations (issue 15, wit/guests/scoring).
bindings scoring wit/guests/scoring scoring
if stale "$out/scoring-c.component.wasm" guests/scoring "$gen/scoring/.stamp"; then
  clang "${cflags[@]}" -mexec-model=reactor -I "$gen/scoring" -o "$out/scoring-c.module.wasm" \
    guests/scoring/scoring.c "$gen/scoring/scoring.c" "$gen/scoring/scoring_component_type.o"
  check_exports "$out/scoring-c.module.wasm"
  "$tool" componentize "$out/scoring-c.module.wasm" "$out/scoring-c.component.wasm" --adapter reactor
  note scoring-c.component.wasm "clang + wit-bindgen, reactor adapter"
fi
# Not made a component here: the library's embed + new does that, with wit/guests/calc.
if stale "$out/adder-core.module.wasm" guests/adder-core; then
  clang --target=wasm32 -nostdlib -O2 -Wall -Wextra -Werror -Wl,--no-entry \
    -o "$out/adder-core.module.wasm" guests/adder-core/adder.c
  note adder-core.module.wasm "clang --target=wasm32 (core module, canonical ABI by hand)"
fi

# ---- corpus fixtures as binaries ---------------------------------------------------------------
# corpus/components/*.wat encoded as binary components: seed inputs of the mutation fuzzer
# (tests/robustness), which mutates binaries rather than text.
mkdir -p "$out/corpus"
for wat in corpus/components/*.wat; do
  name=$(basename "$wat" .wat)
  if stale "$out/corpus/$name.wasm" "$wat"; then
    "$tool" wat2wasm "$wat" "$out/corpus/$name.wasm"
    note "corpus/$name.wasm" "wat2wasm"
  fi
done

# ---- Python guest ------------------------------------------------------------------------------
cpy=${COMPONENTIZE_PY:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmtime-jvm/componentize-py/bin/componentize-py}
[ -x "$cpy" ] || die "componentize-py not found at $cpy (run .ci/install-prerequisites.sh, or set COMPONENTIZE_PY)"
if stale "$out/python-app.component.wasm" guests/python wit/guests/python "$cpy"; then
  # componentize-py writes __pycache__ next to the sources; build from a copy.
  work=$(mktemp -d)
  cp guests/python/*.py "$work/"
  "$cpy" -q -d wit/guests/python -w python-app componentize -p "$work" app -o "$out/python-app.component.wasm.tmp"
  mv "$out/python-app.component.wasm.tmp" "$out/python-app.component.wasm"
  rm -rf "$work"
  note python-app.component.wasm "componentize-py $("$cpy" --version | awk '{print $2}')"
fi

# python_component NAME SRCDIR MODULE WORLD: a componentize-py component of wit/guests/calc
python_component() {
  local name=$1 src=$2 module=$3 world=$4
  if stale "$out/$name.component.wasm" "$src" wit/guests/calc "$cpy"; then
    local work
    work=$(mktemp -d)
    cp "$src"/*.py "$work/"
    "$cpy" -q -d wit/guests/calc -w "$world" componentize -p "$work" "$module" -o "$out/$name.component.wasm.tmp"
    mv "$out/$name.component.wasm.tmp" "$out/$name.component.wasm"
    rm -rf "$work"
    note "$name.component.wasm" "componentize-py, world $world"
  fi
}
python_component python-adder guests/python-adder adder adder-world
python_component python-calculator guests/python-calculator calculator calculator

# The wasi:http guests (wit/guests/http, world http-guest = wasi:http/proxy@0.2.12).
if stale "$out/python-http.component.wasm" guests/python-http wit/guests/http "$cpy"; then
  work=$(mktemp -d)
  cp guests/python-http/*.py "$work/"
  "$cpy" -q -d wit/guests/http -w http-guest componentize -p "$work" app -o "$out/python-http.component.wasm.tmp"
  mv "$out/python-http.component.wasm.tmp" "$out/python-http.component.wasm"
  rm -rf "$work"
  note python-http.component.wasm "componentize-py, wasi:http/proxy@0.2.12"
fi

# ---- JavaScript guest --------------------------------------------------------------------------
jco=${JCO:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmtime-jvm/jco/node_modules/.bin/jco}
[ -x "$jco" ] || die "jco not found at $jco (run .ci/install-prerequisites.sh, or set JCO)"
if stale "$out/js-http.component.wasm" guests/js-http wit/guests/http "$jco"; then
  # Absolute paths: jco runs componentize-js from the source's folder.
  "$jco" componentize "$root/guests/js-http/app.js" --wit "$root/wit/guests/http" \
    --world-name http-guest --out "$out/js-http.component.wasm.tmp" >/dev/null
  mv "$out/js-http.component.wasm.tmp" "$out/js-http.component.wasm"
  note js-http.component.wasm "jco $("$jco" --version) componentize, wasi:http/proxy@0.2.12"
fi

if [ "$built" -eq 0 ]; then
  echo "guests: up to date in $out"
else
  echo "guests: built $built artefact(s) in $out"
fi
