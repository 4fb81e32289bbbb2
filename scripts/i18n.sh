#!/bin/sh
# Refresh the English catalogue: collect the Vietnamese msgids from chibo/ into
# chibo/locale/en/LC_MESSAGES/django.po, then compile django.mo. The .mo is committed,
# so users and CI never need gettext; this script does (apt-get install gettext).
#
# Idempotent: when no msgid changed, the .po is left byte for byte as it was (only the
# POT-Creation-Date header would have moved) and the .mo is rebuilt only when the .po
# is newer. New strings arrive with an empty msgstr: translate them and run this again;
# the last line counts what is left, and tests/core/test_i18n.py fails until it is 0.
set -eu
cd "$(dirname "$0")/.."

for tool in xgettext msgmerge msguniq msgattrib msgfmt; do
  if ! command -v "$tool" >/dev/null; then
    echo "Thiếu công cụ gettext ($tool). Hãy chạy (với quyền root): apt-get install gettext" >&2
    exit 1
  fi
done

DIR=chibo/locale/en/LC_MESSAGES
PO=$DIR/django.po
MO=$DIR/django.mo
mkdir -p "$DIR"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -f "$PO" ] && cp -p "$PO" "$tmp/before.po"

.venv/bin/python manage.py makemessages -l en -v 0 \
  --no-obsolete --no-location --no-wrap \
  --ignore=.venv --ignore=tests --ignore=bench --ignore=docs --ignore=var \
  --ignore=test-artifacts --ignore='*.egg-info' --ignore=scripts

if [ -f "$tmp/before.po" ]; then
  # msgmerge's "fuzzy" guesses for new msgids are mostly wrong (a near-identical msgid with a
  # different meaning): turn them back into plain untranslated entries. (Not on a brand-new
  # file, whose header is still the fuzzy template.)
  msgattrib --no-wrap --clear-fuzzy --empty --clear-previous -o "$PO" "$PO"
  grep -v '^"POT-Creation-Date: ' "$tmp/before.po" >"$tmp/a" || true
  grep -v '^"POT-Creation-Date: ' "$PO" >"$tmp/b" || true
  if cmp -s "$tmp/a" "$tmp/b"; then
    cp -p "$tmp/before.po" "$PO"   # nothing changed: keep the old file and its mtime
  fi
fi

if [ ! -f "$MO" ] || [ "$PO" -nt "$MO" ]; then
  msgfmt --check-format -o /dev/null "$PO"
  .venv/bin/python manage.py compilemessages -l en -v 0 --ignore=.venv
fi

# "N translated messages, M fuzzy translations, K untranslated messages."
printf '%s: ' "$PO"
msgfmt --statistics -o /dev/null "$PO" 2>&1
