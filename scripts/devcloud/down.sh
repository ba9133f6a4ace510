#!/usr/bin/env bash
# Stop every process devcloud started (recorded in $STATE/run/*.pid), and wait until gone.
#   bash scripts/devcloud/down.sh [--force]
# The cloud is one per machine. If another checkout started it, this leaves it running
# unless --force (or DEVCLOUD_FORCE_DOWN=1) is given.
set -euo pipefail
# shellcheck source=scripts/devcloud/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
trap 'on_err $LINENO' ERR

force="${DEVCLOUD_FORCE_DOWN:-0}"
[[ "${1:-}" == "--force" ]] && force=1
if [[ $force != 1 && -s "$STATE/owner" ]]; then
  owner="$(cat "$STATE/owner")"
  if [[ "$owner" != "$REPO" && -d "$owner/.git" ]]; then
    say "the cloud was started from $owner, not from this checkout: leaving it running (use --force to stop it)"
    exit 0
  fi
fi

step "stopping the dev cloud"
stop_one() {
  local n="$1" t
  [[ -f "$RUN/$n.pid" ]] || return 0
  if [[ -z "$(svc_procs "$n")" ]]; then rm -f "$RUN/$n.pid"; return 0; fi
  t="$(date +%s.%N)"
  stop_svc "$n" || { warn "could not stop $n (log: $LOGS/$n.log)"; return 1; }
  say "    stopped $n ($(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s)"
}
# OpenStack services together, then the message bus, then the database.
failed=0
for group in "fake-ovs-agent nova-compute nova-scheduler nova-conductor nova-api neutron glance placement keystone" \
  "rabbitmq" "epmd mariadb"; do
  pids=()
  for n in $group; do
    stop_one "$n" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
done
[[ $failed == 0 ]] || die "some processes could not be stopped (see warnings above)"
rm -f "$STATE/owner"
say "dev cloud stopped"
