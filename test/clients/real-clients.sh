#!/usr/bin/env bash
# Drives the real Debian clients (python3-openstackclient, python3-novaclient) against the mock.
# Needs: apt-get install --no-install-recommends python3-openstackclient python3-novaclient
# Exits non-zero on the first failure; always stops the mock.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v openstack >/dev/null || { echo "openstack client not installed" >&2; exit 2; }
command -v nova >/dev/null || { echo "nova client not installed" >&2; exit 2; }

work=$(mktemp -d)
node --import tsx lib/mock/cli.ts --port 0 --log >"$work/openrc" 2>"$work/requests.log" &
mock_pid=$!
cleanup() {
  kill -TERM "$mock_pid" 2>/dev/null || true
  wait "$mock_pid" 2>/dev/null || true
  if [ "${KEEP_LOG:-}" = 1 ]; then echo "request log: $work/requests.log" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

for _ in $(seq 1 100); do grep -q '^export OS_REGION_NAME' "$work/openrc" 2>/dev/null && break; sleep 0.1; done
# shellcheck disable=SC1091
source "$work/openrc"
echo "mock at $OS_AUTH_URL"

step() { echo "--- $*"; }
# Capture first: grep -q closing the pipe early would break nova with EPIPE under pipefail.
has_iface() { nova interface-list "$server" >"$work/l" 2>/dev/null; grep -q "$1" "$work/l"; }

step "server create --wait"
openstack server create --wait --image cirros-0.6.2-x86_64-disk --flavor m1.tiny --network private cli-vm -f value -c id -c status | tee "$work/server"
server=$(grep -m1 -oE "^[0-9a-f-]{36}$" "$work/server")
grep -q ACTIVE "$work/server"

# What a CLI session around a server reads besides the server (issue 14); the values are the mock's
# flavors, Nova's [quota] defaults and Neutron's default quotas, and the one server booted above.
out() { "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; return 1; }; }
expect_line() { grep -qxF -- "$1" "$work/out" || { echo "expected line '$1' in:" >&2; cat "$work/out" >&2; return 1; }; }

step "flavor list"
out openstack flavor list -f value -c Name
[ "$(sort "$work/out" | tr '\n' ' ')" = "m1.medium m1.micro m1.nano m1.small m1.tiny " ]

step "flavor show"
out openstack flavor show m1.tiny -f shell -c ram -c vcpus -c properties
expect_line 'ram="512"'
expect_line 'vcpus="1"'
expect_line 'properties="{}"'

step "availability zone list"
out openstack availability zone list --compute -f value
expect_line "nova available"

step "limits show --absolute"
out openstack limits show --absolute -f value
expect_line "maxTotalInstances 10"
expect_line "totalInstancesUsed 1"
expect_line "totalRAMUsed 512"

step "security group list"
out openstack security group list -f value -c Name -c Description
expect_line "default Default security group"

step "quota show"
out openstack quota show -f shell -c instances -c cores -c ports -c secgroups
expect_line 'instances="10"'
expect_line 'cores="20"'
expect_line 'ports="500"'
expect_line 'secgroups="10"'

step "port create + server add port"
port=$(openstack port create --network private cli-port -f value -c id)
openstack server add port "$server" "$port"
openstack port show "$port" -f value -c device_id | grep -qx "$server"

step "server add network"
openstack server add network "$server" shared

step "port list --server"
openstack port list --server "$server" -f value -c ID | tee "$work/ports"
[ "$(wc -l <"$work/ports")" -eq 3 ]

step "server remove port"
openstack server remove port "$server" "$port"
for _ in $(seq 1 50); do
  [ -z "$(openstack port show "$port" -f value -c device_id)" ] && break
  sleep 0.2
done
[ -z "$(openstack port show "$port" -f value -c device_id)" ]

step "nova interface-list"
nova interface-list "$server" | tee "$work/iflist"
[ "$(grep -c ' ACTIVE \| DOWN ' "$work/iflist")" -eq 2 ]

step "nova interface-attach --port-id"
nova interface-attach --port-id "$port" "$server"
has_iface "$port"

step "nova interface-detach"
nova interface-detach "$server" "$port"
for _ in $(seq 1 50); do
  has_iface "$port" || break
  sleep 0.2
done
if has_iface "$port"; then echo "port still attached" >&2; exit 1; fi

step "nova interface-attach --net-id"
net=$(openstack network show private -f value -c id)
nova interface-attach --net-id "$net" "$server"
nova interface-list "$server" >"$work/l" 2>/dev/null
[ "$(grep -c "$net" "$work/l")" -ge 2 ]

step "server delete"
openstack server delete --wait "$server"
openstack port delete "$port"
echo "all client checks passed"
