#!/usr/bin/env bash
# `npm test`'s first step: makes sure the machine has what the suites need beyond Node, or says in ONE line
# what is missing and how to install it — before any suite runs, so a missing tool is never a cascade of failures.
#
#   - Debian packages: Redis and PostgreSQL (the integration suites), PHP + extensions, PHPUnit and PHPCS (the
#     plugin's own suites), WordPress with its translations and MariaDB (the plugin in a real WordPress), gettext (the Albanian
#     catalogue) and Chromium (the wp-admin console). As root they are installed (one `apt-get update` first);
#     otherwise the script stops with the command that installs them.
#   - MariaDB on 127.0.0.1:3306 (the throwaway WordPress sites' databases): started when it is down.
#   - wp-plugin/languages/privacy-bridge-sq.mo: compiled from its .po.
#
# Redis and PostgreSQL are started by the suites themselves (test/setup/services.js) when they are down.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

PACKAGES=(redis-server postgresql
  php-cli php-mysql php-xml php-mbstring php-curl php-intl php-zip phpunit php-codesniffer
  wordpress wordpress-l10n mariadb-server mariadb-client gettext chromium unzip)

missing=()
if command -v dpkg-query >/dev/null; then
  installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null | awk '/ install ok installed$/ { print $1 }' || true)"  # dpkg-query fails when any is absent
  for p in "${PACKAGES[@]}"; do grep -qx "$p" <<<"$installed" || missing+=("$p"); done
else
  # Not Debian: judge by the commands and files the suites call.
  for c in redis-server pg_ctl php phpunit phpcs mariadb mariadbd msgfmt xgettext chromium unzip; do
    command -v "$c" >/dev/null || missing+=("$c")
  done
  [ -d /usr/share/wordpress ] || missing+=(wordpress)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "npm test: missing ${missing[*]} — install with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "npm test: installing ${missing[*]} (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt_() { apt-get -o DPkg::Lock::Timeout=600 -qq "$@"; }
  if ! { apt_ update && apt_ install -y --no-install-recommends "${missing[@]}"; } >/tmp/privacy-bridge-apt.log 2>&1; then
    echo "npm test: apt-get install ${missing[*]} failed: $(tail -n 1 /tmp/privacy-bridge-apt.log)" >&2
    exit 1
  fi
fi

# MariaDB for the throwaway WordPress sites (scripts/wordpress-env.sh): root over TCP on 127.0.0.1:3306 without a
# password. A fresh Debian's root logs in only over the socket (unix_socket), so as root we add root@127.0.0.1.
mariadb_answers() { mariadb -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1' >/dev/null 2>&1; }
if ! mariadb_answers && [ "$(id -u)" = 0 ]; then
  if ! mariadb -u root -e 'SELECT 1' >/dev/null 2>&1; then
    install -d -o mysql -g mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    for _ in $(seq 1 100); do mariadb -u root -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
  fi
  mariadb_answers || mariadb -u root -e "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;" >/dev/null 2>&1 || true
fi
mariadb_answers || {
  echo "npm test: MariaDB does not answer on 127.0.0.1:3306 for root without a password — run npm test once as root, or start it and allow that: sudo start-stop-daemon --start --background --exec /usr/sbin/mariadbd -- --user=mysql" >&2
  exit 1
}

# The Albanian catalogue WordPress loads (the .mo is what it reads; the .po is what we edit).
msgfmt --check -o "$ROOT/wp-plugin/languages/privacy-bridge-sq.mo" "$ROOT/wp-plugin/languages/privacy-bridge-sq.po"
