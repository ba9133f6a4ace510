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
stopped=0
# reverse start order
for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
  n="${SERVICES[$i]%%:*}"
  [[ -f "$RUN/$n.pid" ]] || continue
  if [[ -z "$(svc_procs "$n")" ]]; then rm -f "$RUN/$n.pid"; continue; fi
  t="$(date +%s.%N)"
  stop_svc "$n" || die "could not stop $n" "$LOGS/$n.log"
  say "    stopped $n ($(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s)"
  stopped=$((stopped + 1))
done
rm -f "$STATE/owner"
say "dev cloud stopped ($stopped service(s))"
