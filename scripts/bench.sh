#!/usr/bin/env bash
# Benchmarks pyve's hot paths against their baselines, measured in the same run, and
# writes docs/performance.md. Installs what it needs: hyperfine (Debian) and uv (PyPI,
# into a throwaway venv). Usage: scripts/bench.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-200}
[[ "${1:-}" == "--quick" ]] && RUNS=30

if ! command -v hyperfine >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
fi
command -v strace >/dev/null || apt-get install -y -qq strace >/dev/null
command -v valgrind >/dev/null || apt-get install -y -qq valgrind >/dev/null || true

cargo build --release --locked -q
PYVE=$ROOT/target/release/pyve
# The statically linked build (docs/decisions/0029-static-release-binary.md): no dynamic
# loader, no shared libraries to map before `pyve run` can exec the command; not
# position-independent, so nothing to relocate at start-up either (0034).
HOST=$(rustc -vV | sed -n 's/^host: //p')
RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=static" cargo build --release --locked -q \
    --target "$HOST" --target-dir "$ROOT/target/static"
PYVE_STATIC=$ROOT/target/static/$HOST/release/pyve
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The floor of any launcher: a static Rust program that does nothing but exec its
# arguments. No `pyve run` can cost less than this second exec.
cat > "$WORK/exec_floor.rs" <<'RS'
use std::os::unix::process::CommandExt;
fn main() {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let err = std::process::Command::new(&args[0]).args(&args[1..]).exec();
    eprintln!("exec: {err}");
    std::process::exit(127);
}
RS
rustc -O -C target-feature=+crt-static -o "$WORK/exec-floor" "$WORK/exec_floor.rs"
# The same, built as pyve's static build is (no PIE), for the work counts below.
rustc -O -C target-feature=+crt-static -C relocation-model=static \
    -o "$WORK/exec-floor-nopie" "$WORK/exec_floor.rs"
FLOOR=$WORK/exec-floor
export PYVE_HOME=$WORK/pyve-home HOME=$WORK/home
mkdir -p "$HOME"

# uv from PyPI, in a throwaway venv, where the index is reachable.
UV=""
if /usr/bin/python3 -m venv "$WORK/uv-venv" >/dev/null 2>&1 &&
    "$WORK/uv-venv/bin/pip" install -q uv >/dev/null 2>&1; then
    UV=$WORK/uv-venv/bin/uv
fi

PROJ=$WORK/proj
cp -r "$ROOT/assets/examples/pip-project" "$PROJ"
cd "$PROJ"
"$PYVE" -q init --no-input
PY=$PROJ/.venv/bin/python
# A ready env: `pyve run` must say nothing before the command (else it is rebuilding).
if [[ -n "$("$PYVE" run python -c pass 2>&1)" ]]; then
    echo "bench: pyve run is not on its fast path here:" >&2
    "$PYVE" run python -c pass >&2
    exit 1
fi
PYVER=$("$PY" -c 'import sys; print(sys.version.split()[0])')

RUN_MD=$WORK/run.md
INIT_MD=$WORK/init.md
cmds=(-n ".venv/bin/python -c pass" "$PY -c pass" -n "pyve run python -c pass" "$PYVE run python -c pass")
if [[ -n "$UV" ]]; then
    # In a copy of the project with a venv of its own: uv run rewrites the .venv it
    # finds (pyvenv.cfg), which would make pyve's env stale for the rest of the run.
    cp -r "$ROOT/assets/examples/pip-project" "$WORK/uvproj"
    (cd "$WORK/uvproj" && "$UV" venv -q --python "$PY" .venv >/dev/null 2>&1)
    cmds+=(-n "uv run --no-sync python -c pass" "$UV run --directory $WORK/uvproj --no-sync python -c pass")
fi
hyperfine -N --warmup 20 --runs "$RUNS" --export-markdown "$RUN_MD" --export-json "$WORK/run.json" "${cmds[@]}" >/dev/null
hyperfine -N --warmup 20 --runs "$RUNS" --export-markdown "$INIT_MD" --export-json "$WORK/init.json" \
    -n "python -c pass (one Python start-up)" "$PY -c pass" \
    -n "pyve init (ready env: reuse)" "$PYVE -q init --no-input" >/dev/null

# micromamba: an env built by a real micromamba from a local channel when
# PYVE_TEST_MICROMAMBA and PYVE_TEST_CHANNEL are set (as the tests take them), else by
# the test double (its bin/python is a real Python too). `micromamba run` is measured
# beside `pyve run` as the anchor.
MPROJ=$WORK/mproj
mkdir -p "$MPROJ" "$PYVE_HOME/bin"
if [[ -n "${PYVE_TEST_MICROMAMBA:-}" && -n "${PYVE_TEST_CHANNEL:-}" ]]; then
    MM_BIN=$(realpath "$PYVE_TEST_MICROMAMBA")
    cp -r "$PYVE_TEST_CHANNEL" "$WORK/channel"
    MM_CHANNEL=file://$WORK/channel
    MM_KIND="micromamba $("$MM_BIN" --version) (real), channel: a copy of \$PYVE_TEST_CHANNEL"
else
    MM_BIN=$ROOT/tests/support/micromamba
    MM_CHANNEL=conda-forge
    MM_KIND="the micromamba test double (PYVE_TEST_MICROMAMBA unset)"
fi
ln -sf "$MM_BIN" "$PYVE_HOME/bin/micromamba"
printf 'name: bench\nchannels: [%s]\ndependencies:\n  - python=3.11\n' "$MM_CHANNEL" > "$MPROJ/environment.yml"
(cd "$MPROJ" && PYVE_FAKE_MM_DELAY=0 "$PYVE" -q init --no-input)
MPREFIX=$MPROJ/.pyve/envs/bench
MPY=$MPREFIX/bin/python
MM_MD=$WORK/mm.md
(cd "$MPROJ" && MAMBA_ROOT_PREFIX=$PYVE_HOME/mamba hyperfine -N --warmup 20 --runs "$RUNS" --export-markdown "$MM_MD" --export-json "$WORK/mm.json" \
    -n "PREFIX/bin/python -c pass" "$MPY -c pass" \
    -n "pyve run python -c pass (micromamba env)" "$PYVE run python -c pass" \
    -n "micromamba run -p PREFIX python -c pass" "$MM_BIN run -p $MPREFIX python -c pass" \
    -n "pyve init (ready micromamba env: reuse)" "$PYVE -q init --no-input" >/dev/null)
MM_EXECS=$(cd "$MPROJ" && strace -f -e trace=execve -o "$WORK/strace3.txt" "$PYVE" -q init --no-input && grep -c 'execve(' "$WORK/strace3.txt")

# doctor on ready envs (venv and micromamba) against one Python start-up.
DOC_MD=$WORK/doctor.md
(cd "$PROJ" && hyperfine -N --warmup 20 --runs "$RUNS" --export-markdown "$DOC_MD" --export-json "$WORK/doctor.json" \
    -n "python -c pass" "$PY -c pass" \
    -n "pyve doctor (venv, ready)" "$PYVE doctor" \
    -n "pyve doctor (micromamba, ready)" "$PYVE -C $MPROJ doctor" >/dev/null)

# The same ratios measured in alternation (scripts/interleaved.py), so drift of the VM
# between hyperfine's blocks cannot favour one side. Not through a pyenv shim: it
# exports PYENV_VERSION (a python request to pyve: the env would be rebuilt for it)
# and puts its python on PATH for every command measured.
IL_PY=/usr/bin/python3
[[ -x "$IL_PY" ]] || IL_PY=python3
IL_VENV=$(cd "$PROJ" && "$IL_PY" "$ROOT/scripts/interleaved.py" "$RUNS" "$PY -c pass" "$PYVE run python -c pass" 2>&1 >/dev/null | sed -n 2p | cut -d' ' -f2)
# In the micromamba env: the direct run, the floor, pyve, static pyve (the release build).
IL_MM_ALL=$(cd "$MPROJ" && "$IL_PY" "$ROOT/scripts/interleaved.py" "$RUNS" "$MPY -c pass" \
    "$FLOOR $MPY -c pass" "$PYVE run python -c pass" "$PYVE_STATIC run python -c pass" 2>&1 >/dev/null |
    sed -n 2,4p | cut -d' ' -f2 | paste -sd' ')
read -r MM_FLOOR_X IL_MM MM_STATIC_X <<<"$IL_MM_ALL"
IL_TRUE=$(cd "$PROJ" && "$IL_PY" "$ROOT/scripts/interleaved.py" "$RUNS" "/bin/true" "$PYVE run /bin/true" 2>&1 >/dev/null | cut -d' ' -f1 | paste -sd' ')
# The floor and the static build, in one alternation with the direct run.
IL_FLOOR=$(cd "$PROJ" && "$IL_PY" "$ROOT/scripts/interleaved.py" "$RUNS" "$PY -c pass" \
    "$FLOOR $PY -c pass" "$PYVE run python -c pass" "$PYVE_STATIC run python -c pass" 2>&1 >/dev/null |
    sed -n 2,4p | cut -d' ' -f2 | paste -sd' ')
read -r FLOOR_X DYN_X STATIC_X <<<"$IL_FLOOR"
STATIC_GAP=$(python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):+.3f}')" "$STATIC_X" "$FLOOR_X")
IL_TRUE_ALL=$(cd "$PROJ" && "$IL_PY" "$ROOT/scripts/interleaved.py" "$RUNS" "/bin/true" \
    "$FLOOR /bin/true" "$PYVE run /bin/true" "$PYVE_STATIC run /bin/true" 2>&1 >/dev/null |
    cut -d' ' -f1 | paste -sd' ')

# Work, not time (steady on a loaded VM): user-space instructions up to the exec
# (callgrind, dumped when execve is entered), page faults of the whole run, the
# command's own included (perf stat, 20 runs), and syscalls before the exec (strace).
work() { # label, command… → one row of the work table
    local label=$1 d ir=n/a pf=n/a sc
    shift
    d=$(mktemp -d -p "$WORK")
    if command -v valgrind >/dev/null; then
        valgrind --tool=callgrind --dump-before=execve --callgrind-out-file="$d/cg" "$@" >/dev/null 2>&1 || true
        ir=$( (cat "$d"/cg.* 2>/dev/null || true) | awk '/^summary:/ { s += $2 } END { printf "%d", s }')
    fi
    if command -v perf >/dev/null; then
        pf=$(perf stat -x, -e page-faults -r 20 "$@" 2>&1 >/dev/null | awk -F, '/page-faults/ { print $1 }')
        pf=${pf:-n/a}
    fi
    strace -f -o "$d/st" "$@" >/dev/null 2>&1
    sc=$(awk '/execve\(/ && !/ENOENT/ && NR > 1 { print NR - 2; exit }' "$d/st")
    printf '| %s | %s | %s | %s |\n' "$label" "$ir" "$pf" "${sc:-0}"
}
# Still ready after all the runs above (else the counts would include a rebuild).
if [[ -n "$("$PYVE" run true 2>&1)" ]]; then
    echo "bench: the env went out of step during the benchmark" >&2
    exit 1
fi
WORK_MD=$WORK/work.md
{
    echo "| \`… /bin/true\` | instructions to the exec | page faults | syscalls to the exec |"
    echo "|:---|---:|---:|---:|"
    work "\`/bin/true\` directly" /bin/true
    work "exec-floor (static PIE)" "$FLOOR" /bin/true
    work "exec-floor, no PIE (built as pyve's static build)" "$WORK/exec-floor-nopie" /bin/true
    work "pyve run, dynamically linked" "$PYVE" run /bin/true
    work "pyve run, statically linked" "$PYVE_STATIC" run /bin/true
} > "$WORK_MD"

ratio() { # json, name-a, name-b → "mean(a)/mean(b) (medians: median(a)/median(b))"
    python3 - "$@" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
a, b = res[sys.argv[2]], res[sys.argv[3]]
print(f"{a['mean'] / b['mean']:.3f}× of means, {a['median'] / b['median']:.3f}× of medians")
PY
}
RUN_RATIO=$(ratio "$WORK/run.json" "pyve run python -c pass" ".venv/bin/python -c pass")
INIT_RATIO=$(ratio "$WORK/init.json" "pyve init (ready env: reuse)" "python -c pass (one Python start-up)")
MM_RATIO=$(ratio "$WORK/mm.json" "pyve run python -c pass (micromamba env)" "PREFIX/bin/python -c pass")
MMRUN_RATIO=$(ratio "$WORK/mm.json" "micromamba run -p PREFIX python -c pass" "PREFIX/bin/python -c pass")
MM_INIT_RATIO=$(ratio "$WORK/mm.json" "pyve init (ready micromamba env: reuse)" "PREFIX/bin/python -c pass")
DOC_RATIO=$(ratio "$WORK/doctor.json" "pyve doctor (venv, ready)" "python -c pass")
DOC_MM_RATIO=$(ratio "$WORK/doctor.json" "pyve doctor (micromamba, ready)" "python -c pass")
UV_RATIO="n/a (uv could not be installed)"
[[ -n "$UV" ]] && UV_RATIO=$(ratio "$WORK/run.json" "uv run --no-sync python -c pass" ".venv/bin/python -c pass")

# No subprocess on a reuse: count execve calls of a ready-env init (1 = pyve itself).
EXECS=$(strace -f -e trace=execve -o "$WORK/strace.txt" "$PYVE" -q init --no-input && grep -c 'execve(' "$WORK/strace.txt")
cp "$WORK/strace.txt" "${TMPDIR:-/tmp}/pyve-bench-init-strace.txt"
RUN_EXECS=$(strace -f -e trace=execve -o "$WORK/strace2.txt" "$PYVE" run true && grep -c 'execve(' "$WORK/strace2.txt")

cd "$ROOT"
# The TUI's numbers come from its own benchmark: keep that section as it is.
TUI_SECTION=$(sed -n '/^## TUI/,$p' docs/performance.md 2>/dev/null || true)
{
    cat <<MD
# Performance

Measured by \`scripts/bench.sh\` (RUNS=$RUNS) on $(date -u +%Y-%m-%d), $(nproc) cores
(load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after: the machine is
shared, and above ~2 the tables below are noisier than the ratios measured in alternation),
$(uname -sm), pyve $("$PYVE" --version | cut -d' ' -f2) (release build), Python $PYVER in a
venv made by \`pyve init\` from \`assets/examples/pip-project\`. hyperfine runs every
command of a table in the same run, with \`-N\` (no shell) and 20 warm-ups. Ratios are
given of means and of medians: a Python start-up on this 2-core VM varies by ±1–2 ms
from run to run, so the median is the steadier of the two. Rerun with
\`scripts/bench.sh\` (or \`scripts/bench.sh --quick\`); it rewrites this file.

## \`pyve run\` against running the venv's python directly

Target: \`pyve run python -c pass\` ≤ 1.10× \`.venv/bin/python -c pass\`.

$(cat "$RUN_MD")

- pyve run / direct: **${RUN_RATIO}**; measured in alternation (median of $RUNS
  pairs, scripts/interleaved.py): **${IL_VENV}×**
- what pyve itself costs: \`/bin/true\` vs \`pyve run /bin/true\`, medians in ms:
  **${IL_TRUE}** (exec of a second binary, pyve's own start-up, reading the state file)
- uv run --no-sync / direct: **${UV_RATIO}**

### The floor: what any launcher costs

In one alternation (median of $RUNS rounds): the direct run 1.000×; a static program that
only execs its arguments (\`exec-floor\`, built by this script): **${FLOOR_X}×**; pyve
(dynamically linked, the default build): **${DYN_X}×**; pyve statically linked (the
release build, docs/decisions/0029-static-release-binary.md): **${STATIC_X}×**.
\`/bin/true\`, the floor, pyve, static pyve running \`/bin/true\`, medians in ms:
**${IL_TRUE_ALL}**.

Reading it: pyve's cost is a second exec — which the floor pays too — plus its own
start-up and two small file reads. Statically linked, pyve needs no dynamic loader and
maps no shared library, which is most of what it cost above the floor; being no PIE it
relocates nothing at start-up either (docs/decisions/0034-run-hot-path-work.md). On this shared
2-core VM the floor alone is above 1.05× of a Python start-up, so the 1.05× target is
not reachable by any program that runs between the shell and python whenever the floor
is above it (here: $(python3 -c "print('it is' if float('${FLOOR_X}') > 1.05 else 'it is not')")); the
static build is ${STATIC_GAP}× from the floor.
- processes started by \`pyve run true\` (strace execve count: pyve, then its exec of
  the command in the same process): **$RUN_EXECS**

### The work, not the time

Wall-clock time on a shared 2-core VM moves with the neighbours; the work a run does
does not. Counted in the ready venv, running \`/bin/true\`: user-space instructions up to
the exec (\`valgrind --tool=callgrind --dump-before=execve\`; the VM exposes no hardware
counters to \`perf\`), page faults of the whole run, \`/bin/true\`'s own included
(\`perf stat -e page-faults -r 20\`), and syscalls before the exec (\`strace -f\`):

$(cat "$WORK_MD")

The same counts before the hot-path work of docs/decisions/0034-run-hot-path-work.md
(static PIE, thin LTO, \`std::process::Command\` for the exec), counted the same way on
2026-12-01 in a copy of this project: pyve statically linked 574,526 instructions, 193
page faults, 106 syscalls; dynamically linked 827,936, 206, 135 (after, in the same
copy: 308,103, 128, 95 and 647,125, 185, 124).

## \`pyve init\` on a ready env

Target: no subprocess, well under one Python start-up.

$(cat "$INIT_MD")

- pyve init (reuse) / python -c pass: **${INIT_RATIO}**
- execve calls during a reuse (strace -f; 1 is pyve itself): **$EXECS**

## micromamba env: \`pyve run\` and \`pyve init\` reuse

Target: \`pyve run python -c pass\` ≤ 1.05× \`PREFIX/bin/python -c pass\`, with
\`micromamba run -p PREFIX python -c pass\` beside it as the anchor; \`init\` on a ready
env starts no process. The env is built by $MM_KIND; \`pyve run\` applies the activation
cached at create time, so no micromamba process is involved.

$(cat "$MM_MD")

- pyve run / direct (micromamba env): **${MM_RATIO}**; in alternation (median of $RUNS
  rounds): the floor **${MM_FLOOR_X}×**, pyve **${IL_MM}×**, pyve statically linked (the
  release build) **${MM_STATIC_X}×** — the 1.05× target is
  **$(python3 -c "print('met' if float('${MM_STATIC_X}') <= 1.05 else 'not met')")** by the release build, and the floor alone is
  $(python3 -c "print('above' if float('${MM_FLOOR_X}') > 1.05 else 'within')") it (pyve's fixed cost is the same as in a venv, above: its own start-up and
  one exec)
- micromamba run / direct: **${MMRUN_RATIO}** (a micromamba process, a bash script
  and the activation on every call)
- pyve init (ready micromamba env) / one Python start-up: **${MM_INIT_RATIO}**
- execve calls during a micromamba reuse (1 is pyve itself): **$MM_EXECS**

## \`pyve doctor\` on a ready env

Target: ≤ 1.0× one Python start-up. Doctor reads the state file, pyvenv.cfg and
conda-meta records; \`micromamba --version\` is cached by path, size and mtime.

$(cat "$DOC_MD")

- pyve doctor (venv) / python -c pass: **${DOC_RATIO}**
- pyve doctor (micromamba) / python -c pass: **${DOC_MM_RATIO}**
MD
    if [[ -n "$TUI_SECTION" ]]; then
        printf '\n%s\n' "$TUI_SECTION"
    fi
} > docs/performance.md
echo "wrote docs/performance.md: mm: ${MM_KIND}; micromamba run ${MMRUN_RATIO}; run ${RUN_RATIO} (alternating ${IL_VENV}x; true vs pyve run true: ${IL_TRUE} ms); uv ${UV_RATIO}; init reuse ${INIT_RATIO}; execs $EXECS; mm run ${MM_RATIO} (alternating ${IL_MM}x); mm execs $MM_EXECS; doctor ${DOC_RATIO} / ${DOC_MM_RATIO}"
