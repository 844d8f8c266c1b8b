#!/usr/bin/env bash
# Renders docs/tui.md's pictures (and the README's) from real runs: builds pyve, copies
# the example projects to /tmp/pyve-demo, drives the TUI in tmux and captures each
# screen as text and, drawn by scripts/ansi2png.py (Pillow from PyPI in a throwaway
# venv), as a PNG in assets/:
#
#   tui-dashboard.png        120×36, after the Setup wizard built the venv (README)
#   tui-dashboard-80x24.png  the same at 80×24
#   tui-setup-review.png     the Setup wizard's review
#   tui-running.png          a create running: the Log streams, the env is "building"
#   tui-failure.png          an init that failed (a requirement that does not exist)
#   tui-bootstrap.png        the Bootstrap wizard of a conda project without micromamba
#   tui-help.png             Help
#   tui-envs.png             two envs of one project, `]` switched to the second
#   tui-purge-env.png        the Purge confirmation on the second env (`a` widens it)
#
# Needs tmux and Debian's fonts-dejavu-core. PYVE_SHOT_PROFILE=debug uses a debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
profile=${PYVE_SHOT_PROFILE:-release}
if [ "$profile" = release ]; then cargo build --release -q; else cargo build -q; fi
bin=$root/target/$profile/pyve
demo=${TMPDIR:-/tmp}/pyve-demo
session=pyve-shot
rm -rf "$demo"
mkdir -p "$demo"
cp -r assets/examples/pip-project "$demo/pip-project"
cp -r assets/examples/conda-project "$demo/conda-project"
mkdir -p "$demo/failing-project"
printf 'no-such-package-for-the-pyve-demo==0.0.1\n' > "$demo/failing-project/requirements.txt"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT

python3 -m venv "$demo/venv"
"$demo/venv/bin/pip" install -q pillow

# start DIR COLS ROWS [ENV…]: the TUI in DIR, in a fresh tmux session.
start() {
    local dir=$1 cols=$2 rows=$3
    shift 3
    tmux kill-session -t "$session" 2>/dev/null || true
    # No micromamba on PATH for the conda project: the demo shows the bootstrap.
    tmux new-session -d -s "$session" -x "$cols" -y "$rows" \
        "cd '$dir' && env PYVE_HOME='$demo/pyve-home' LANG=C.UTF-8 PIP_NO_INDEX=1 $* '$bin'"
}

wait_for() {
    for _ in $(seq 1 600); do
        if tmux capture-pane -p -t "$session" | grep -qF -- "$1"; then return 0; fi
        sleep 0.1
    done
    echo "timed out waiting for: $1" >&2
    tmux capture-pane -p -t "$session" >&2
    exit 1
}

# shot NAME COLS ROWS: the screen now, as assets/NAME.txt and assets/NAME.png.
shot() {
    tmux capture-pane -p -t "$session" > "assets/$1.txt"
    tmux capture-pane -p -e -t "$session" > "$demo/$1.ansi"
    "$demo/venv/bin/python" scripts/ansi2png.py "$demo/$1.ansi" "assets/$1.png" "$2" "$3"
    echo "wrote assets/$1.png"
}

# The pip project, set up through the wizard; the review and the running create.
start "$demo/pip-project" 120 36
wait_for "Environment: .venv missing"
tmux send-keys -t "$session" i
wait_for "step 1 of"
tmux send-keys -t "$session" Enter
wait_for "step 2 of"
tmux send-keys -t "$session" Enter
wait_for "Writes:"
shot tui-setup-review 120 36
tmux send-keys -t "$session" Enter
wait_for "» create"
shot tui-running 120 36
wait_for "created in"
wait_for "Environment up to date: yes"
wait_for "idle"
# Health focused, the first problem (or check) selected: the dashboard at rest.
tmux send-keys -t "$session" 3
sleep 0.3
shot tui-dashboard 120 36
tmux send-keys -t "$session" '?'
wait_for "Help: every key"
shot tui-help 120 36
tmux send-keys -t "$session" Escape
tmux resize-window -t "$session" -x 80 -y 24
sleep 0.5
shot tui-dashboard-80x24 80 24
tmux send-keys -t "$session" q

# A second env of the same project (`pyve init --env dev`), switched to with `]`.
(cd "$demo/pip-project" && PYVE_HOME="$demo/pyve-home" PIP_NO_INDEX=1 "$bin" -q init --env dev --no-input)
start "$demo/pip-project" 120 36
wait_for "env default"
wait_for "idle"
tmux send-keys -t "$session" ']'
wait_for "env dev"
wait_for "Environment up to date: yes"
wait_for "idle"
sleep 0.3
shot tui-envs 120 36
# Purge on env dev: the list is dev's, `a` would widen it; n keeps everything.
tmux send-keys -t "$session" p
wait_for "pyve created these for env dev"
sleep 0.3
shot tui-purge-env 120 36
tmux send-keys -t "$session" n
tmux send-keys -t "$session" q

# A failure: pip cannot find the requirement.
start "$demo/failing-project" 120 36
wait_for "Environment: .venv missing"
tmux send-keys -t "$session" i
wait_for "step 1 of"
tmux send-keys -t "$session" Enter
wait_for "step 2 of"
tmux send-keys -t "$session" Enter
wait_for "Writes:"
tmux send-keys -t "$session" Enter
wait_for "failed after"
wait_for "idle"
sleep 0.3
shot tui-failure 120 36
tmux send-keys -t "$session" q

# The conda project on a PATH without micromamba: the Bootstrap wizard.
start "$demo/conda-project" 120 36 "PATH=/usr/bin:/bin"
wait_for "Micromamba: not found"
tmux send-keys -t "$session" b
wait_for "Project sandbox"
shot tui-bootstrap 120 36
tmux send-keys -t "$session" Escape q
