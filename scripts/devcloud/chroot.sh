# shellcheck shell=bash
# The chroot of a newer release (epoxy: trixie, 2026.2: sid): build it once with mmdebstrap,
# mount the kernel file systems it needs, run commands in it. Sourced by up.sh and down.sh.
#
# The chroot lives outside any checkout ($DEVCLOUD_HOME/<release>/root), so a fresh clone of the
# repository reuses it. It is built in root.new and renamed when complete: an interrupted build
# never leaves a half chroot that looks finished.

# Everything the chroot needs, installed by one mmdebstrap run (about 480 packages).
CHROOT_PACKAGES=(ca-certificates curl jq procps iproute2 python3 util-linux
  mariadb-server rabbitmq-server memcached python3-memcache python3-pymysql python3-openstackclient
  python3-openstacksdk
  keystone nova-api nova-conductor nova-scheduler neutron-server placement-api glance-api
  uwsgi-core uwsgi-plugin-python3)
CHROOT_MIRROR="${DEVCLOUD_MIRROR:-http://deb.debian.org/debian}"
# Written last by the build; holds the package list, so a changed list rebuilds.
CHROOT_MARK=etc/nova-conformance-chroot

chroot_built() { # root
  [[ -f "$1/$CHROOT_MARK" ]] && [[ "$(cat "$1/$CHROOT_MARK")" == "${CHROOT_PACKAGES[*]}" ]]
}

# chroot_build release root: mmdebstrap the release's suite with every package, atomically.
chroot_build() {
  local rel="$1" root="$2" suite new log
  suite="$(release_suite "$rel")"
  new="$root.new"
  log="$(dirname "$root")/build.log"
  chroot_umount "$new"
  rm -rf "$new"
  mkdir -p "$(dirname "$root")"
  local include
  include="$(
    IFS=,
    echo "${CHROOT_PACKAGES[*]}"
  )"
  # sid's Release file may be past its Valid-Until on the archive; apt refuses it without this.
  # The preseeds (no dbconfig, no endpoint registration) must be in place before the packages
  # configure, hence the essential hook. mmdebstrap keeps services from starting while it runs.
  if ! mmdebstrap --mode=root --variant=minbase --include="$include" \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --aptopt='APT::Install-Recommends "false"' \
    --essential-hook="chroot \"\$1\" debconf-set-selections <'$DEVCLOUD_DIR/debconf-preseed.txt'" \
    "$suite" "$new" "$CHROOT_MIRROR" >"$log" 2>&1; then
    chroot_umount "$new"
    die "mmdebstrap of $suite failed" "$log"
  fi
  # Packages installed later by hand must not start services either.
  printf '#!/bin/sh\n# devcloud: never let package scripts start services\nexit 101\n' >"$new/usr/sbin/policy-rc.d"
  chmod 755 "$new/usr/sbin/policy-rc.d"
  echo "${CHROOT_PACKAGES[*]}" >"$new/$CHROOT_MARK"
  rm -rf "$root"
  mv "$new" "$root"
}

_mounted() { mountpoint -q "$1"; }

# chroot_mount root: /proc, /sys, /dev, /dev/pts, /dev/shm, and the host's name files.
chroot_mount() {
  local r="$1"
  _mounted "$r/proc" || mount -t proc proc "$r/proc"
  _mounted "$r/sys" || mount -t sysfs sysfs "$r/sys"
  _mounted "$r/dev" || mount --bind /dev "$r/dev"
  # a private devpts and shm: the chroot's never alter the host's
  _mounted "$r/dev/pts" || mount -t devpts -o newinstance,ptmxmode=0666 devpts "$r/dev/pts"
  _mounted "$r/dev/shm" || mount -t tmpfs -o mode=1777 shm "$r/dev/shm"
  cp -L /etc/resolv.conf "$r/etc/resolv.conf"
  cp -L /etc/hosts "$r/etc/hosts"
}

# chroot_umount root: the reverse, innermost first; no-op for what is not mounted.
chroot_umount() {
  local r="$1" m
  for m in dev/shm dev/pts dev sys proc; do
    if [[ -d "$r/$m" ]] && _mounted "$r/$m"; then umount "$r/$m"; fi
  done
}
