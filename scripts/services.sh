#!/usr/bin/env bash
# Starts the local Redis and PostgreSQL the tests use, when they are not running already.
#   scripts/services.sh up     start what is down, wait until both answer
#   scripts/services.sh status
set -euo pipefail

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

up() {
  if ! answers 6379; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /tmp --logfile /tmp/privacy-bridge-redis.log
  fi
  if ! answers 5432; then
    cluster=$(ls /etc/postgresql | head -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
  fi
  for _ in $(seq 1 50); do
    if answers 6379 && answers 5432; then status; return 0; fi
    sleep 0.2
  done
  status
  echo "Redis or PostgreSQL did not come up" >&2
  return 1
}

status() {
  for svc in "redis 6379" "postgresql 5432"; do
    set -- $svc
    if answers "$2"; then echo "$1: up on 127.0.0.1:$2"; else echo "$1: DOWN on 127.0.0.1:$2"; fi
  done
}

case "${1:-up}" in
  up) up ;;
  status) status ;;
  *) echo "usage: $0 up|status" >&2; exit 2 ;;
esac
