# shellcheck shell=bash
# install_host_packages: Zed's packages on the host from bookworm, once (sourced by up.sh).

HOST_PACKAGES=(mariadb-server rabbitmq-server memcached python3-memcache python3-pymysql
  python3-openstackclient python3-openstacksdk
  keystone nova-api nova-conductor nova-scheduler neutron-server placement-api glance-api
  uwsgi-core uwsgi-plugin-python3 curl jq iproute2 procps)

install_host_packages() {
  local p need_install=0 apt_ok=0 attempt
  for p in "${HOST_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed'; then
      need_install=1
      break
    fi
  done
  if [[ $need_install == 0 ]]; then
    say "packages already installed"
    return 0
  fi
  step "installing packages with apt-get (no service is started by package scripts)" "$LOGS/apt.log"
  # policy-rc.d: package scripts must not start services (we run them ourselves).
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# devcloud: never let package scripts start services\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
  fi
  debconf-set-selections "$DEVCLOUD_DIR/debconf-preseed.txt"
  for attempt in 1 2 3; do
    if { apt-get -o DPkg::Lock::Timeout=900 update -q &&
      apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        -o Dpkg::Options::=--force-confmiss "${HOST_PACKAGES[@]}"; } >>"$LOGS/apt.log" 2>&1; then
      apt_ok=1
      break
    fi
    warn "apt-get failed (attempt $attempt), retrying; see $LOGS/apt.log"
  done
  [[ $apt_ok == 1 ]] || die "apt-get install failed 3 times" "$LOGS/apt.log"
}
