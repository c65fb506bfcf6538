# Sourced by the other scripts: makes .venv and installs the project into it.
#
# The install is redone only when pyproject.toml changes, so repeated runs
# start in seconds. Set PYTHON to choose the interpreter (3.10 or newer).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
EXTRAS="${EXTRAS:-dev,emulator,progress}"

bootstrap() {
    local python="${PYTHON:-python3}"
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
        echo "error: $python is older than Python 3.10; set PYTHON to a newer one" >&2
        exit 1
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        echo "Creating the virtual environment in .venv" >&2
        "$python" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$EXTRAS"
    local digest
    digest="$(cat "$ROOT/pyproject.toml" | "$VENV/bin/python" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
        echo "Installing design-space-sampling[$EXTRAS] into .venv" >&2
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            --upgrade pip >/dev/null
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            -e "$ROOT[$EXTRAS]"
        echo "$digest" >"$stamp"
    fi
    export PATH="$VENV/bin:$PATH"
}
