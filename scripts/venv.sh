# Sourced by scripts/*: create the project virtualenv (.venv) once, with a current pip.
VENV="${VENV:-$PWD/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
fi
export VENV

# with_progress MESSAGE CMD...: run CMD, saying what it does and, every 20 s, how long it has
# taken (the first install builds the JupyterLab extension with npm inside pip: minutes of
# otherwise silent work). Keeps CMD's exit status.
with_progress() {
  local message="$1"; shift
  echo "$message" >&2
  local start=$SECONDS
  "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 20); do
      sleep 1
      kill -0 "$pid" 2>/dev/null || break
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "  ... still working ($((SECONDS - start)) s)" >&2
    fi
  done
  wait "$pid"
  local status=$?
  echo "  done in $((SECONDS - start)) s" >&2
  return $status
}
