#!/usr/bin/env bash
# Renders the README's picture of the dashboard from a real run: builds pyve, copies
# the example pip project to /tmp/pyve-demo, opens the TUI in tmux (100×30), runs the
# Setup wizard (i, Enter, Enter, Enter) and waits for the create to finish, then
# captures the screen as text (assets/tui-dashboard.txt) and as a PNG
# (assets/tui-dashboard.png, drawn by scripts/ansi2png.py with Pillow from PyPI in a
# throwaway venv). Needs tmux and Debian's fonts-dejavu-core.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cargo build --release -q
demo=${TMPDIR:-/tmp}/pyve-demo
session=pyve-shot
rm -rf "$demo"
mkdir -p "$demo"
cp -r assets/examples/pip-project "$demo/pip-project"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
tmux kill-session -t "$session" 2>/dev/null || true
tmux new-session -d -s "$session" -x 100 -y 30 \
    "cd '$demo/pip-project' && PYVE_HOME='$demo/pyve-home' LANG=C.UTF-8 exec '$root/target/release/pyve'"

wait_for() {
    for _ in $(seq 1 600); do
        if tmux capture-pane -p -t "$session" | grep -qF "$1"; then return 0; fi
        sleep 0.1
    done
    echo "timed out waiting for: $1" >&2
    tmux capture-pane -p -t "$session" >&2
    exit 1
}

wait_for "Environment: .venv missing"
tmux send-keys -t "$session" i
wait_for "step 1 of"
tmux send-keys -t "$session" Enter
wait_for "step 2 of"
tmux send-keys -t "$session" Enter
wait_for "Writes:"
tmux send-keys -t "$session" Enter
wait_for "created in"
wait_for "Environment up to date: yes"
# Health focused, its first check selected: the dashboard at rest.
tmux send-keys -t "$session" 3
wait_for "idle"
sleep 0.3
tmux capture-pane -p -t "$session" > assets/tui-dashboard.txt
tmux capture-pane -p -e -t "$session" > "$demo/dashboard.ansi"
tmux send-keys -t "$session" q

python3 -m venv "$demo/venv"
"$demo/venv/bin/pip" install -q pillow
"$demo/venv/bin/python" scripts/ansi2png.py "$demo/dashboard.ansi" assets/tui-dashboard.png 100 30
echo "wrote assets/tui-dashboard.txt and assets/tui-dashboard.png"
