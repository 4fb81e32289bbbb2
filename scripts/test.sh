#!/bin/sh
# make test: lint, migrations check and the whole pytest suite, browser tests included.
set -eu
cd "$(dirname "$0")/.."
DEV=1 sh scripts/venv.sh

# What the browser and document tests need from Debian.
sh scripts/debian.sh test

if [ "${SUITE_ONLY:-0}" != "1" ]; then
  echo "== ruff"; .venv/bin/ruff check .
  echo "== mypy"; .venv/bin/mypy chibo
  echo "== migrations"; .venv/bin/python manage.py makemigrations --check --dry-run
fi
[ "${LINT_ONLY:-0}" = "1" ] && exit 0
# CHIBO_TEST_CLOCK (ISO 8601 with offset) runs the suite as if it were that moment (tests/conftest.py).
echo "== pytest (${CHIBO_DATABASE_URL:+PostgreSQL}${CHIBO_DATABASE_URL:-SQLite}${CHIBO_TEST_CLOCK:+, clock $CHIBO_TEST_CLOCK})"
export DJANGO_ALLOW_ASYNC_UNSAFE=true
# One test process per CPU (pytest-xdist; each file stays in one process, each process has its own test
# database). CHIBO_TEST_WORKERS=0 runs everything in this process.
WORKERS="${CHIBO_TEST_WORKERS:-auto}"
if [ "$WORKERS" = "0" ]; then
  exec .venv/bin/python -m pytest -q "$@"
fi
exec .venv/bin/python -m pytest -q -n "$WORKERS" --dist loadfile "$@"
