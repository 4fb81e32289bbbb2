#!/bin/sh
# Create .venv and install chibo into it (with the development tools when DEV=1).
# Re-installs only when pyproject.toml changes.
set -eu
cd "$(dirname "$0")/.."
PY=$(command -v python3.11 || command -v python3 || true)
if [ -z "$PY" ]; then
  echo "chibo cần Python 3.11 (python3.11). Trên Debian 12: apt-get install python3 python3-venv" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
      echo "Cài python3-venv..."
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      "$PY" -m venv .venv
    else
      echo "Thiếu mô-đun venv của Python. Hãy chạy (với quyền root): apt-get install python3-venv" >&2
      exit 1
    fi
  fi
fi
extra=""
[ "${DEV:-0}" = "1" ] && extra="[dev]"
stamp=".venv/.installed$(echo "$extra" | tr -d '[]')-$(cksum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
  echo "Cài đặt chibo vào .venv ..."
  if ! .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extra" > .venv/pip.log 2>&1; then
    cat .venv/pip.log >&2
    echo "Không cài được các gói Python (xem thông báo ở trên)." >&2
    exit 1
  fi
  .venv/bin/python -c "import django, granian" >/dev/null
  [ -z "$extra" ] || .venv/bin/python -c "import pytest, playwright" >/dev/null
  touch "$stamp"
fi
