#!/usr/bin/env bash
# The real WordPress 6.8 + WooCommerce 9.9 store (../shared/woocommerce-env) and the suite that runs the plugin in it.
#
#   scripts/real-store.sh up            as root: (re)creates the store with its setup.sh (wipes and re-seeds it, no
#                                       network) and waits until it answers; on failure prints why (the log's tail)
#   scripts/real-store.sh test [ARGS]   builds, then runs `npm run test:woocommerce-env -- ARGS` against the store and
#                                       prints its counts; fails when a test fails or is skipped, or none ran
#   scripts/real-store.sh env           prints the four variables the suite reads, as `export` lines
#
# Which store: WOOCOMMERCE_ENV_HOME, the folder holding its env.sh and setup.sh (default ../shared/woocommerce-env
# beside this repository). Its URL, WordPress folder and PHP user are read from that env.sh, never assumed.
# Logs go to test-artifacts/real-store/ (that folder is never written to: CI's copy of ../shared is read-only).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HOME_DIR="${WOOCOMMERCE_ENV_HOME:-$ROOT/../shared/woocommerce-env}"
ARTIFACTS="$ROOT/test-artifacts/real-store"
fail() { echo "real-store: $*" >&2; exit 1; }

[ -f "$HOME_DIR/env.sh" ] || fail "no store at WOOCOMMERCE_ENV_HOME=$HOME_DIR (a folder with env.sh and setup.sh, like ../shared/woocommerce-env)"
HOME_DIR="$(cd "$HOME_DIR" && pwd)"

# The store's settings, from its own env.sh in a clean subshell (its defaults must not see ours).
read_env() {
  env -u ENV_DIR -u DB_PORT -u FIXTURES_DIR bash -c '
    source "$1/env.sh"
    user="$(declare -f PHP_AS_WWW | sed -n "s/.*runuser -u \([^ ]*\) .*/\1/p")"
    printf "%s\n%s\n%s\n" "$SITE_URL" "$ENV_DIR" "${user:-www-data}"' _ "$HOME_DIR"
}
{ read -r SITE_URL; read -r ENV_DIR; read -r PHP_USER; } < <(read_env)
[ -n "$SITE_URL" ] && [ -n "$ENV_DIR" ] || fail "$HOME_DIR/env.sh names no SITE_URL or ENV_DIR"
export WOOCOMMERCE_ENV_URL="$SITE_URL" WOOCOMMERCE_ENV_WP_DIR="$ENV_DIR/wordpress" WOOCOMMERCE_ENV_PHP_USER="$PHP_USER" WOOCOMMERCE_ENV_HOME="$HOME_DIR"

answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$SITE_URL/wp-json/")" = 200 ]; }

# What to show when the store is not there: the end of setup's log and of the store's own error logs.
why() {
  [ -f "$ARTIFACTS/setup.log" ] && { echo "--- last lines of $ARTIFACTS/setup.log"; tail -n 30 "$ARTIFACTS/setup.log"; }
  for f in "$ENV_DIR"/logs/mariadb-error.log "$ENV_DIR"/logs/nginx-error.log "$ENV_DIR"/logs/php-fpm.log "$ENV_DIR"/logs/php-errors.log; do
    [ -s "$f" ] && { echo "--- last lines of $f"; tail -n 10 "$f"; }
  done
  return 0
}

up() {
  [ "$(id -u)" = 0 ] || fail "setting up the store needs root: sudo bash scripts/real-store.sh up"
  mkdir -p "$ARTIFACTS"
  echo "real-store: setting up $SITE_URL from $HOME_DIR (log: $ARTIFACTS/setup.log)"
  local started=$SECONDS
  local code=0
  bash "$HOME_DIR/setup.sh" </dev/null >"$ARTIFACTS/setup.log" 2>&1 || code=$?
  if [ "$code" != 0 ]; then
    why >&2
    fail "$HOME_DIR/setup.sh failed with exit $code: the store is not up"
  fi
  for _ in $(seq 1 30); do answers && break; sleep 1; done
  answers || { why >&2; fail "setup.sh finished but $SITE_URL/wp-json/ does not answer 200"; }
  echo "real-store: up in $((SECONDS - started)) s: $SITE_URL, WordPress in $WOOCOMMERCE_ENV_WP_DIR"
}

test_() {
  answers || { why >&2; fail "the store at $SITE_URL does not answer /wp-json/: run scripts/real-store.sh up (as root)"; }
  mkdir -p "$ARTIFACTS"
  (cd "$ROOT" && npm run build --silent)
  local results="$ARTIFACTS/results.json" code=0
  rm -f "$results"
  (cd "$ROOT" && npm run --silent test:woocommerce-env -- --json --outputFile="$results" "$@") || code=$?
  [ -f "$results" ] || fail "the suite wrote no results (exit $code)"
  node -e '
    const r = require(process.argv[1]);
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`real-store suite on ${process.argv[2]}: ${r.numTotalTests} tests in ${r.numTotalTestSuites} files: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped` +
      (r.numRuntimeErrorTestSuites ? `, ${r.numRuntimeErrorTestSuites} files did not run` : ""));
    process.exit(r.success && skipped === 0 && r.numTotalTests > 0 ? 0 : 1);
  ' "$results" "$SITE_URL" || code=1
  return "$code"
}

case "${1:-}" in
  up) up ;;
  test) shift; test_ "$@" ;;
  env) printf 'export %s=%q\n' WOOCOMMERCE_ENV_URL "$WOOCOMMERCE_ENV_URL" WOOCOMMERCE_ENV_WP_DIR "$WOOCOMMERCE_ENV_WP_DIR" \
    WOOCOMMERCE_ENV_PHP_USER "$WOOCOMMERCE_ENV_PHP_USER" WOOCOMMERCE_ENV_HOME "$WOOCOMMERCE_ENV_HOME" ;;
  *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
