#!/usr/bin/env bash
# Generates the plugin's translation template, wp-plugin/languages/privacy-bridge.pot, from its PHP
# (every string marked with WordPress's i18n functions in the `privacy-bridge` text domain).
#
#   scripts/make-pot.sh            writes the .pot
#   scripts/make-pot.sh --stdout   prints it instead (test/contract/phpunit.test.ts compares it with the committed one)
#
# Deterministic: messages sorted by msgid, locations by file only (no line numbers, so an edit elsewhere in a file
# does not make the template stale), and no POT-Creation-Date. Then update the Albanian catalogue from it:
#   msgmerge --update --no-fuzzy-matching wp-plugin/languages/privacy-bridge-sq.po wp-plugin/languages/privacy-bridge.pot
set -euo pipefail
PLUGIN="$(cd "$(dirname "$0")/../wp-plugin" && pwd)"
KEYWORDS=(__ _e esc_html__ esc_html_e esc_attr__ esc_attr_e _x:1,2c _ex:1,2c esc_html_x:1,2c esc_attr_x:1,2c
  _n:1,2 _nx:1,2,4c _n_noop:1,2 _nx_noop:1,2,3c)
cd "$PLUGIN"
mapfile -t files < <(find . -name '*.php' -not -path './tests/*' -not -path './vendor/*' | LC_ALL=C sort)
pot="$(xgettext --language=PHP --from-code=UTF-8 --sort-output --add-location=file --add-comments=translators: \
  --package-name='Privacy Bridge' --package-version="$(sed -n 's/^ \* Version: *//p' privacy-bridge.php)" \
  --msgid-bugs-address='the Privacy Bridge maintainers' "${KEYWORDS[@]/#/--keyword=}" -o - "${files[@]}" \
  | sed -e '/^"POT-Creation-Date: /d' -e '/^"Language-Team: LANGUAGE /d' -e '1,/^$/ s/^# SOME DESCRIPTIVE TITLE\.$/# Privacy Bridge: the template of its translations (scripts\/make-pot.sh)./' \
        -e '1,/^$/ { /^# Copyright (C) YEAR/d; /^# This file is distributed/d; /^# FIRST AUTHOR/d; }')"
if [ "${1:-}" = --stdout ]; then printf '%s\n' "$pot"; else printf '%s\n' "$pot" >languages/privacy-bridge.pot; fi
