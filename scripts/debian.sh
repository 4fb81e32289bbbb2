#!/bin/sh
# Install the Debian packages chibo needs when they are missing (as root), or say which and stop.
#   sh scripts/debian.sh run    PDF rendering (pango) and fonts
#   sh scripts/debian.sh test   the above, plus chromium and poppler-utils for the test suite
set -eu
need=""
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0 || need="$need libpango-1.0-0 libpangoft2-1.0-0"
[ -d /usr/share/fonts/truetype/noto ] || need="$need fonts-noto-core"
[ -d /usr/share/fonts/truetype/liberation2 ] || need="$need fonts-liberation2"
if [ "${1:-run}" = "test" ]; then
  [ -x /usr/bin/chromium ] || need="$need chromium"
  command -v pdftotext >/dev/null || need="$need poppler-utils"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Cài gói Debian:$need"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
else
  echo "Thiếu gói Debian:$need. Hãy chạy với quyền root: apt-get install$need" >&2
  exit 1
fi
