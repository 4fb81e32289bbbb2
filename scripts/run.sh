#!/bin/sh
# make run: install, migrate, load the district demo into an empty database, then serve with a job
# worker beside the web server (the worker stops when the server does).
set -eu
cd "$(dirname "$0")/.."
sh scripts/debian.sh run
sh scripts/venv.sh
.venv/bin/chibo migrate --no-input -v 0
.venv/bin/chibo demo --scale district --if-empty --no-logins
logdir="${CHIBO_VAR_DIR:-var}"
mkdir -p "$logdir"
.venv/bin/chibo worker >>"$logdir/worker.log" 2>&1 &
worker=$!
stop_worker() {
  kill "$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'stop_worker; exit 130' INT
trap 'stop_worker; exit 143' TERM
echo "Việc nền (thư, nhắc việc, hạn): chibo worker đang chạy (PID $worker), nhật ký $logdir/worker.log"
.venv/bin/chibo serve
