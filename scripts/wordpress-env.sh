#!/usr/bin/env bash
# A throwaway WordPress for the plugin's tests, from Debian's packages: no downloads, nothing committed.
# The packages (PHP, WordPress, MariaDB, Chromium) are installed by `npm test`'s preflight (scripts/preflight.sh).
#
#   scripts/wordpress-env.sh up DIR PORT [DB]     fresh database DB (default pb_wp_PORT) on 127.0.0.1:3306, a copy of
#                                                 /usr/share/wordpress in DIR with our wp-config.php, installed, the plugin
#                                                 symlinked and activated, served by `php -S 127.0.0.1:PORT`; pid in DIR/php.pid
#   scripts/wordpress-env.sh down DIR             stops the server (by its recorded pid) and drops the database
#
# Site admin: user `admin`, password `admin-password` (test only). Mail is captured by a must-use plugin into
# DIR/mail.jsonl, never sent. Environment: WP_DB_HOST (127.0.0.1), WP_DB_PORT (3306), WP_DB_USER (root), WP_DB_PASS ('').
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DB_HOST="${WP_DB_HOST:-127.0.0.1}"
DB_PORT="${WP_DB_PORT:-3306}"
DB_USER="${WP_DB_USER:-root}"
DB_PASS="${WP_DB_PASS:-}"

mysql_() { mariadb -h "$DB_HOST" -P "$DB_PORT" -u "$DB_USER" ${DB_PASS:+-p"$DB_PASS"} "$@"; }

up() {
  local dir="$1" port="$2" db="${3:-pb_wp_$2}"
  command -v php >/dev/null && [ -d /usr/share/wordpress ] || { echo "missing PHP or WordPress: run bash scripts/preflight.sh (as root it installs them)" >&2; exit 2; }
  mysql_ -e "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\` CHARACTER SET utf8mb4"
  rm -rf "$dir" && mkdir -p "$dir"
  # Debian's copy: wp-config.php is a wrapper around /etc/wordpress and wp-content points into /var/lib; replace both.
  cp -a /usr/share/wordpress/. "$dir/"
  # Debian links bundled libraries relatively (wp-includes/js/underscore.min.js -> ../../../javascript/…): copied
  # elsewhere those links dangle and WordPress's scripts that need them break. Copy what they point to instead.
  (cd "$dir" && find . -xtype l -print0 | while IFS= read -r -d '' l; do cp -L --remove-destination "/usr/share/wordpress/$l" "$l"; done)
  rm -f "$dir/wp-config.php" && rm -rf "$dir/wp-content"
  mkdir -p "$dir/wp-content/plugins" "$dir/wp-content/mu-plugins" "$dir/wp-content/uploads" "$dir/wp-content/themes"
  [ -d /usr/share/wordpress/wp-content/themes ] && cp -a /usr/share/wordpress/wp-content/themes/. "$dir/wp-content/themes/" 2>/dev/null || true
  for t in /var/lib/wordpress/wp-content/themes/*; do [ -e "$t" ] && cp -aL "$t" "$dir/wp-content/themes/" 2>/dev/null || true; done
  # WordPress's own Albanian (Debian's wordpress-l10n), so the site can run in `sq` as a real Albanian one does.
  mkdir -p "$dir/wp-content/languages"
  cp /usr/share/wordpress/wp-content/languages/*sq.mo "$dir/wp-content/languages/" 2>/dev/null || true
  ln -s "$ROOT/wp-plugin" "$dir/wp-content/plugins/privacy-bridge"
  cp "$ROOT/test/wordpress/support/mu-capture-mail.php" "$dir/wp-content/mu-plugins/"
  cat > "$dir/wp-config.php" <<PHP
<?php
define( 'DB_NAME', '$db' );
define( 'DB_USER', '$DB_USER' );
define( 'DB_PASSWORD', '$DB_PASS' );
define( 'DB_HOST', '$DB_HOST:$DB_PORT' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
\$table_prefix = 'wp_';
foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as \$k ) { define( \$k, '$(head -c 24 /dev/urandom | base64)' . \$k ); }
define( 'WP_HOME', 'http://127.0.0.1:$port' );
define( 'WP_SITEURL', 'http://127.0.0.1:$port' );
define( 'WP_CONTENT_DIR', __DIR__ . '/wp-content' );
define( 'WP_CONTENT_URL', 'http://127.0.0.1:$port/wp-content' );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', __DIR__ . '/debug.log' );
define( 'WP_DEBUG_DISPLAY', false );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'DISABLE_WP_CRON', true ); // tests run cron by requesting wp-cron.php, so nothing runs behind their back
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_ACCESSIBLE_HOSTS', '127.0.0.1,localhost' );
define( 'PRIVACY_BRIDGE_TEST_MAIL_LOG', __DIR__ . '/mail.jsonl' );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
require_once ABSPATH . 'wp-settings.php';
PHP
  cat > "$dir/router.php" <<'PHP'
<?php
// php -S router: real files are served as they are, everything else goes to WordPress's front controller.
$path = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
$file = __DIR__ . $path;
if ( '/' !== $path && is_file( $file ) ) {
	if ( '.php' !== substr( $file, -4 ) ) { return false; }
	chdir( dirname( $file ) );
	$_SERVER['SCRIPT_NAME'] = $path; $_SERVER['PHP_SELF'] = $path; $_SERVER['SCRIPT_FILENAME'] = $file;
	require $file;
	return true;
}
if ( is_dir( $file ) && is_file( rtrim( $file, '/' ) . '/index.php' ) ) {
	chdir( $file ); $_SERVER['SCRIPT_NAME'] = rtrim( $path, '/' ) . '/index.php';
	require rtrim( $file, '/' ) . '/index.php';
	return true;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
require __DIR__ . '/index.php';
PHP
  (cd "$dir" && php -d display_errors=stderr -r '
    define( "WP_INSTALLING", true );
    $_SERVER["HTTP_HOST"] = "127.0.0.1"; $_SERVER["REQUEST_URI"] = "/";
    require "wp-load.php";
    require ABSPATH . "wp-admin/includes/upgrade.php";
    wp_install( "Privacy Bridge test", "admin", "admin@example.com", false, "", "admin-password" );
    update_option( "permalink_structure", "/%postname%/" );
  ' >/dev/null)
  (cd "$dir" && php -d display_errors=stderr -r '
    $_SERVER["HTTP_HOST"] = "127.0.0.1"; $_SERVER["REQUEST_URI"] = "/";
    require "wp-load.php";
    require ABSPATH . "wp-admin/includes/plugin.php";
    $r = activate_plugin( "privacy-bridge/privacy-bridge.php" );
    if ( is_wp_error( $r ) ) { fwrite( STDERR, $r->get_error_message() . "\n" ); exit( 1 ); }
  ')
  PHP_CLI_SERVER_WORKERS=4 setsid php -S "127.0.0.1:$port" -t "$dir" "$dir/router.php" >"$dir/server.log" 2>&1 &
  echo $! >"$dir/php.pid"
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/wp-login.php" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "WordPress did not answer on port $port" >&2; exit 1
}

down() {
  local dir="$1"
  if [ -f "$dir/php.pid" ]; then kill -- "-$(cat "$dir/php.pid")" 2>/dev/null || kill "$(cat "$dir/php.pid")" 2>/dev/null || true; fi
  local db; db="$(sed -n "s/^define( 'DB_NAME', '\(.*\)' );/\1/p" "$dir/wp-config.php" 2>/dev/null || true)"
  [ -n "$db" ] && mysql_ -e "DROP DATABASE IF EXISTS \`$db\`" || true
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) shift; down "$@" ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
