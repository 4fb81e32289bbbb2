#!/bin/sh
# make run: install, migrate, load the district demo into an empty database, serve.
set -eu
cd "$(dirname "$0")/.."
sh scripts/debian.sh run
sh scripts/venv.sh
.venv/bin/chibo migrate --no-input -v 0
.venv/bin/chibo demo --scale district --if-empty --no-logins
exec .venv/bin/chibo serve
