# Chorale — `just run` serves the app, `just test` runs the whole suite.
set shell := ["bash", "-euo", "pipefail", "-c"]

venv := ".venv"
python := venv / "bin/python"
uv_version := "0.13.9"

# Serve the app and its worker (embedded PostgreSQL and Redis unless DATABASE_URL / REDIS_URL are set)
run: install ocr-deps
    {{python}} -m backend.cli run

# The whole test suite on the embedded default (each run on its own fresh database)
test *args: install browser-deps ocr-deps
    {{python}} -m pytest {{args}}

# Benchmarks: prints figures with their raw baselines measured in the same run
bench *args: install
    {{python}} -m bench {{args}}

# Create the virtual environment and install the locked dependencies (idempotent, quick when done)
install:
    #!/usr/bin/env bash
    set -euo pipefail
    if [ ! -x {{venv}}/bin/uv ]; then
        python3 -m venv {{venv}}
        {{venv}}/bin/python -m pip install --quiet --disable-pip-version-check "uv=={{uv_version}}"
    fi
    {{venv}}/bin/uv sync --frozen --quiet --python {{python}}

# Debian's chromium for the browser tests (never a browser downloaded by Playwright)
browser-deps:
    #!/usr/bin/env bash
    set -euo pipefail
    if ! command -v chromium >/dev/null 2>&1; then
        echo "Installing Debian's chromium for the browser tests…"
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
    fi

# Debian's Tesseract with French for reading scanned PDFs (the reading works without it: scans are then typed by hand)
ocr-deps:
    #!/usr/bin/env bash
    set -euo pipefail
    if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx fra; then
        echo "Installing Debian's tesseract-ocr (French) for scanned PDFs…"
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-fra >/dev/null
    fi

# Apply migrations to DATABASE_URL (or the embedded server)
migrate: install
    {{python}} -m backend.cli migrate

# Start only the embedded PostgreSQL and Redis and print their URLs
servers: install
    {{python}} -m backend.cli servers

# Remove local data (embedded databases, uploaded files)
clean:
    rm -rf .data test-results
