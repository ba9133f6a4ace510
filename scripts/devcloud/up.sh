#!/usr/bin/env bash
# Bring up (or check) the single-node OpenStack dev cloud of one release on 127.0.0.1.
#   bash scripts/devcloud/up.sh [--release 2026.2|epoxy|zed]   default: 2026.2, the newest
#   RESET=1 bash scripts/devcloud/up.sh [--release R]          drop its databases and state, rebuild
# Zed runs on the host (packages from bookworm); epoxy and 2026.2 in a chroot of trixie / sid,
# built once with mmdebstrap under $DEVCLOUD_HOME. One cloud at a time: they share the ports.
# See docs/devcloud.md.
set -euo pipefail
# shellcheck source=scripts/devcloud/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
trap 'on_err $LINENO' ERR

[[ $EUID -eq 0 ]] || die "run as root (it installs packages and runs system services)"
release_arg "$@"
((${#REST[@]} == 0)) || die "unknown argument '${REST[0]}' (usage: up.sh [--release $(releases_list)])"
rel="${RELEASE_ARG:-${RELEASES[0]}}"
RESET="${RESET:-0}"
export DEBIAN_FRONTEND=noninteractive DEVCLOUD_T0="$T0"
devcloud_lock

if other="$(running_release)" && [[ "$other" != "$rel" ]]; then
  die "the $other devcloud is up on the standard ports (one cloud at a time); stop it first: npm run devcloud:down"
fi
use_release "$rel"
say "release $rel: $(release_title "$rel")"
mkdir -p "$DC"

if [[ "$RESET" == 1 ]]; then
  step "RESET=1: stopping the cloud"
  bash "$DEVCLOUD_DIR/down.sh" --force --release "$rel"
fi

all_running() {
  local s n p
  for s in "${SERVICES[@]}"; do
    n="${s%%:*}"
    p="${s##*:}"
    svc_alive "$n" || return 1
    if [[ "$p" != 0 ]]; then port_open "$p" || return 1; fi
  done
  [[ -f "$STATE/bootstrap.done" ]]
}
finish() { # credentials for this checkout, from the release's secrets
  ln -sfn "$LOGS" "$DC/logs"
  ln -sfn "$RUN" "$DC/run"
  echo "$rel" >"$DC/release"
  load_secrets
  # shellcheck source=scripts/devcloud/write-creds.sh
  . "$DEVCLOUD_DIR/write-creds.sh"
  write_creds
}

if [[ "$RESET" != 1 ]] && all_running; then
  say "all services already running"
  finish
  say "cloud is up (nothing to do); run 'npm run devcloud:status' for details"
  exit 0
fi

if [[ "$rel" == zed ]]; then
  mkdir -p "$STATE" "$LOGS" "$RUN"
  # shellcheck source=scripts/devcloud/install-host.sh
  . "$DEVCLOUD_DIR/install-host.sh"
  install_host_packages
  owner_claim
  DEVCLOUD_RELEASE=zed RESET="$RESET" run_unlocked bash "$DEVCLOUD_DIR/services.sh"
else
  # shellcheck source=scripts/devcloud/chroot.sh
  . "$DEVCLOUD_DIR/chroot.sh"
  if ! chroot_built "$ROOT"; then
    command -v mmdebstrap >/dev/null || die "mmdebstrap is missing: apt-get update && apt-get install mmdebstrap"
    step "building the $(release_suite "$rel") chroot in $ROOT (mmdebstrap, once)" "$(dirname "$ROOT")/build.log"
    chroot_build "$rel" "$ROOT"
  else
    say "chroot $ROOT already built"
  fi
  chroot_mount "$ROOT"
  mkdir -p "$STATE" "$LOGS" "$RUN"
  owner_claim
  # The chroot runs this checkout's scripts: a copy, so nothing in it points back here.
  rm -rf "$ROOT/opt/nova-conformance"
  mkdir -p "$ROOT/opt/nova-conformance/scripts"
  cp -r "$DEVCLOUD_DIR" "$ROOT/opt/nova-conformance/scripts/devcloud"
  run_unlocked in_chroot "$ROOT" DEVCLOUD_RELEASE="$rel" DEVCLOUD_INSIDE=1 RESET="$RESET" DEVCLOUD_T0="$T0" \
    bash /opt/nova-conformance/scripts/devcloud/services.sh
fi
finish
say "cloud is up: $(release_title "$rel")"
