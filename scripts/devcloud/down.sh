#!/usr/bin/env bash
# Stop every process of the running dev cloud (recorded in $STATE/run/*.pid), and wait until gone.
#   bash scripts/devcloud/down.sh [--release R] [--force]
# Without --release it stops whichever release runs. The cloud is one per machine: if another
# checkout started it, this leaves it running unless --force (or DEVCLOUD_FORCE_DOWN=1).
# Processes are stopped by recorded session only, after checking their root (host or chroot).
set -euo pipefail
# shellcheck source=scripts/devcloud/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/devcloud/chroot.sh
. "$DEVCLOUD_DIR/chroot.sh"
trap 'on_err $LINENO' ERR

release_arg "$@"
force="${DEVCLOUD_FORCE_DOWN:-0}"
for a in "${REST[@]}"; do
  case "$a" in
  --force) force=1 ;;
  *) die "unknown argument '$a' (usage: down.sh [--release R] [--force])" ;;
  esac
done
devcloud_lock
rel="${RELEASE_ARG:-}"
if [[ -z "$rel" ]] && ! rel="$(running_release)"; then
  for r in "${RELEASES[@]}"; do [[ "$r" == zed ]] || chroot_umount "$(release_root "$r")"; done
  say "no devcloud is running"
  exit 0
fi
use_release "$rel"
if [[ $force != 1 && -s "$STATE/owner" ]]; then
  owner="$(cat "$STATE/owner")"
  if [[ "$owner" != "$REPO" && -d "$owner/.git" ]]; then
    say "the $rel cloud was started from $owner, not from this checkout: leaving it running (use --force to stop it)"
    exit 0
  fi
fi

step "stopping the $rel dev cloud"
stop_one() {
  local n="$1" t
  [[ -f "$RUN/$n.pid" ]] || return 0
  if [[ -z "$(svc_procs "$n")" ]]; then rm -f "$RUN/$n.pid"; return 0; fi
  t="$(date +%s.%N)"
  stop_svc "$n" || { warn "could not stop $n (log: $LOGS/$n.log)"; return 1; }
  say "    stopped $n ($(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s)"
}
# OpenStack services together, then the message bus and the cache, then the database.
failed=0
for group in "fake-ovs-agent nova-compute nova-scheduler nova-conductor nova-api neutron neutron-rpc glance placement keystone" \
  "rabbitmq memcached" "epmd mariadb"; do
  pids=()
  for n in $group; do
    stop_one "$n" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
done
[[ $failed == 0 ]] || die "some processes could not be stopped (see warnings above)"
if [[ "$rel" != zed ]]; then
  # Whatever still runs in the chroot was not started by devcloud (a shell, a manual apt):
  # name it and leave it, and keep the mounts it may need.
  left="$(procs_in_root "$ROOT" | paste -sd, -)"
  if [[ -n "$left" ]]; then
    die "processes not started by devcloud still run in $ROOT: $(ps -o pid=,args= -p "$left" | tr '\n' ';')"
  fi
  chroot_umount "$ROOT"
fi
rm -f "$STATE/owner"
say "dev cloud stopped ($rel)"
