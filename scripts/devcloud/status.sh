#!/usr/bin/env bash
# Which release runs, and each of its services with pid, port and whether it responds.
#   bash scripts/devcloud/status.sh [--release R]   (default: the release that runs)
# Exit 1 if no cloud runs or anything of it is down.
set -euo pipefail
# shellcheck source=scripts/devcloud/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

release_arg "$@"
((${#REST[@]} == 0)) || die "unknown argument '${REST[0]}' (usage: status.sh [--release R])"
rel="${RELEASE_ARG:-}"
if [[ -z "$rel" ]] && ! rel="$(running_release)"; then
  echo "devcloud: no cloud is running (start one: npm run devcloud:up -- --release $(releases_list))" >&2
  exit 1
fi
use_release "$rel"
echo "release: $rel, $(release_title "$rel")"

bad=0
# ok_or what cmd...: run the health check, print the verdict, return its status.
ok_or() {
  local what="$1"
  shift
  if "$@" >/dev/null 2>&1; then echo "responding ($what)"; else
    echo "NOT responding ($what)"
    return 1
  fi
}
check() { # name port -> prints "responding ..." or "NOT responding ..." and returns status
  local n="$1" p="$2" age
  case "$n" in
  mariadb) ok_or SQL mysql_root -N -e 'select 1' ;;
  epmd | rabbitmq | memcached) ok_or "port open" port_open "$p" ;;
  keystone) ok_or HTTP http_answers http://127.0.0.1:5000/v3 ;;
  placement | glance | neutron | nova-api) ok_or HTTP http_answers "http://127.0.0.1:$p/" ;;
  nova-conductor | nova-scheduler | nova-compute)
    age="$(mysql_root -N nova -e "SELECT TIMESTAMPDIFF(SECOND, COALESCE(updated_at, created_at), UTC_TIMESTAMP())
      FROM services WHERE \`binary\`='$n' AND deleted=0 ORDER BY updated_at DESC LIMIT 1" 2>/dev/null || true)"
    if [[ -n "$age" && "$age" -lt 60 ]]; then echo "responding (service report ${age}s ago)"; else
      echo "NOT reporting (last service report: ${age:-never}s ago)"; return 1; fi ;;
  fake-ovs-agent | neutron-rpc) echo "running (no health endpoint)" ;;
  *) echo "?" ;;
  esac
}

printf '%-15s %-8s %-6s %s\n' SERVICE PID PORT STATE
for s in "${SERVICES[@]}"; do
  n="${s%%:*}"
  p="${s##*:}"
  [[ "$p" == 0 ]] && pshow="-" || pshow="$p"
  if svc_alive "$n"; then
    if st="$(check "$n" "$p")"; then :; else bad=1; fi
    printf '%-15s %-8s %-6s %s\n' "$n" "$(svc_pid "$n")" "$pshow" "$st"
  else
    printf '%-15s %-8s %-6s %s\n' "$n" "-" "$pshow" "DOWN (not running; log: $LOGS/$n.log)"
    bad=1
  fi
done
if [[ -s "$STATE/owner" ]]; then echo "started from: $(cat "$STATE/owner")"; fi
echo "logs: $LOGS   credentials: $DC/openrc-*"
if [[ $bad == 1 ]]; then
  echo "devcloud: something is down (npm run devcloud:up -- --release $rel restarts what is not running)" >&2
  exit 1
fi
echo "devcloud: all services of $rel up"
