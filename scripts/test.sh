#!/bin/sh
# make test: lint, migrations check and the whole pytest suite, browser tests included.
set -eu
cd "$(dirname "$0")/.."
DEV=1 sh scripts/venv.sh

# What the browser and document tests need from Debian.
need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
command -v pdftotext >/dev/null || need="$need poppler-utils"
[ -d /usr/share/fonts/truetype/noto ] || need="$need fonts-noto-core"
if [ -n "$need" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Cài gói Debian:$need"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
  else
    echo "Thiếu gói Debian:$need. Hãy chạy với quyền root: apt-get install$need" >&2
    exit 1
  fi
fi

if [ "${SUITE_ONLY:-0}" != "1" ]; then
  echo "== ruff"; .venv/bin/ruff check .
  echo "== mypy"; .venv/bin/mypy chibo
  echo "== migrations"; .venv/bin/python manage.py makemigrations --check --dry-run
fi
[ "${LINT_ONLY:-0}" = "1" ] && exit 0
echo "== pytest (${CHIBO_DATABASE_URL:+PostgreSQL}${CHIBO_DATABASE_URL:-SQLite})"
export DJANGO_ALLOW_ASYNC_UNSAFE=true
exec .venv/bin/python -m pytest -q "$@"
