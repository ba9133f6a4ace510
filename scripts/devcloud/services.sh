#!/usr/bin/env bash
# Configure and start every service of one release's cloud where that release lives: on the
# host for Zed, inside its chroot for a newer release (up.sh copies scripts/devcloud into the
# chroot and runs this there). Only up.sh calls it:
#   DEVCLOUD_RELEASE=<release> [DEVCLOUD_INSIDE=1] [RESET=1] bash services.sh
# Each step is idempotent: what runs is left alone, what is done (db syncs, bootstrap) is not redone.
set -euo pipefail
# shellcheck source=scripts/devcloud/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
trap 'on_err $LINENO' ERR

[[ $EUID -eq 0 ]] || die "run as root (it runs system services)"
use_release "${DEVCLOUD_RELEASE:?set by up.sh}" "${DEVCLOUD_INSIDE:-}"
RESET="${RESET:-0}"
# Zed's policy: its own defaults (false) unless asked; 1 makes reader-only users read-only.
# A newer release keeps its own (new) defaults, so this does not apply there.
NOVA_NEW_DEFAULTS="${DEVCLOUD_NOVA_NEW_DEFAULTS:-false}"
[[ "$NOVA_NEW_DEFAULTS" == 1 || "$NOVA_NEW_DEFAULTS" == true ]] && NOVA_NEW_DEFAULTS=true || NOVA_NEW_DEFAULTS=false
mkdir -p "$STATE" "$LOGS" "$RUN" "$ETC"
load_secrets
# start_api name ini zed-command... : a newer release runs the API under its uwsgi ini instead.
start_api() {
  local name="$1" ini="$2"
  shift 2
  if [[ "$RELEASE" == zed ]]; then start_svc "$name" "$@"; else start_svc "$name" uwsgi --ini "$ini"; fi
}

# ---------------------------------------------------------------- configuration
step "writing configuration to $ETC"
# shellcheck source=scripts/devcloud/write-config.sh
. "$DEVCLOUD_DIR/write-config.sh"
write_config

# ---------------------------------------------------------------- MariaDB
step "MariaDB on 127.0.0.1:3306" "$LOGS/mariadb.log"
if ! svc_alive mariadb; then
  if port_open 3306; then die "port 3306 is taken by a process devcloud did not start (a system MariaDB?); stop it first"; fi
  install -d -o mysql -g mysql -m 755 /run/mysqld
  if [[ ! -d /var/lib/mysql/mysql ]]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db >>"$LOGS/mariadb.log" 2>&1
  fi
  start_svc mariadb /usr/sbin/mariadbd --defaults-file="$ETC/my.cnf" --user=mysql
fi
poll "MariaDB to accept connections" 60 mysql_root -e 'select 1'

if [[ "$RESET" == 1 ]]; then
  step "RESET=1: dropping databases and state"
  mysql_root -e 'DROP DATABASE IF EXISTS keystone; DROP DATABASE IF EXISTS glance; DROP DATABASE IF EXISTS neutron;
    DROP DATABASE IF EXISTS placement; DROP DATABASE IF EXISTS nova_api; DROP DATABASE IF EXISTS nova;
    DROP DATABASE IF EXISTS nova_cell0;'
  rm -rf "$STATE/keystone" "$STATE/glance" "$STATE/nova" "$STATE/neutron" "$STATE"/*.done
fi

step "databases and DB user"
mysql_root <<SQL
CREATE DATABASE IF NOT EXISTS keystone; CREATE DATABASE IF NOT EXISTS glance;
CREATE DATABASE IF NOT EXISTS neutron; CREATE DATABASE IF NOT EXISTS placement;
CREATE DATABASE IF NOT EXISTS nova_api; CREATE DATABASE IF NOT EXISTS nova; CREATE DATABASE IF NOT EXISTS nova_cell0;
CREATE USER IF NOT EXISTS 'devcloud'@'localhost' IDENTIFIED BY '${DB_PASS}';
CREATE USER IF NOT EXISTS 'devcloud'@'127.0.0.1' IDENTIFIED BY '${DB_PASS}';
ALTER USER 'devcloud'@'localhost' IDENTIFIED BY '${DB_PASS}';
ALTER USER 'devcloud'@'127.0.0.1' IDENTIFIED BY '${DB_PASS}';
GRANT ALL PRIVILEGES ON *.* TO 'devcloud'@'localhost';
GRANT ALL PRIVILEGES ON *.* TO 'devcloud'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL

# ---------------------------------------------------------------- RabbitMQ
step "RabbitMQ on 127.0.0.1:5672" "$LOGS/rabbitmq.log"
RABBIT_ENV=(RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672
  ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_DIST_PORT=25672 RABBITMQ_LOGS=- RABBITMQ_SASL_LOGS=-
  "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}" HOME=/var/lib/rabbitmq)
rabbit_as() { env "${RABBIT_ENV[@]}" setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$@"; }
rabbitctl() { (cd /var/lib/rabbitmq && rabbit_as /usr/lib/rabbitmq/bin/rabbitmqctl -n rabbit@localhost "$@"); }
if ! svc_alive epmd; then
  if port_open 4369; then die "port 4369 (epmd) is taken by a process devcloud did not start; stop it first"; fi
  start_svc epmd env "${RABBIT_ENV[@]}" setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups \
    /usr/bin/epmd -address 127.0.0.1
  poll "epmd to listen on 4369" 20 port_open 4369
fi
rabbit_started=0
if ! svc_alive rabbitmq; then
  if port_open 5672; then die "port 5672 is taken by a process devcloud did not start; stop it first"; fi
  (cd /var/lib/rabbitmq && start_svc rabbitmq env "${RABBIT_ENV[@]}" \
    setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server)
  rabbit_started=1
fi
poll "RabbitMQ to listen on 5672" 90 port_open 5672
if [[ $rabbit_started == 1 || ! -f "$STATE/rabbit.done" || "$STATE/secrets.env" -nt "$STATE/rabbit.done" ]]; then
  poll "RabbitMQ to finish booting" 60 rabbitctl await_startup
  if ! rabbitctl authenticate_user openstack "$RABBIT_PASS" >/dev/null 2>&1; then
    rabbitctl add_user openstack "$RABBIT_PASS" >/dev/null 2>&1 || rabbitctl change_password openstack "$RABBIT_PASS" >/dev/null
    rabbitctl set_permissions openstack '.*' '.*' '.*' >/dev/null
  fi
  touch "$STATE/rabbit.done"
fi

# ---------------------------------------------------------------- memcached
# The cache every API process shares, as production clouds run it: keystonemiddleware's token
# cache (without it each process validates each token itself) and Keystone's own.
step "memcached on 127.0.0.1:11211" "$LOGS/memcached.log"
if ! svc_alive memcached; then
  if port_open 11211; then die "port 11211 is taken by a process devcloud did not start (a system memcached?); stop it first"; fi
  start_svc memcached memcached -u memcache -l 127.0.0.1 -p 11211 -m 64 -U 0
  poll "memcached to listen on 11211" 20 port_open 11211
fi

# ---------------------------------------------------------------- database schemas (in parallel)
step "database schemas (keystone, placement, glance, neutron, nova; in parallel)"
pids=()
names=()
sync_job() { # name cmd...
  local n="$1"
  shift
  if [[ -f "$STATE/dbsync-$n.done" ]]; then return 0; fi
  ("$@" >>"$LOGS/dbsync-$n.log" 2>&1 && touch "$STATE/dbsync-$n.done") &
  pids+=($!)
  names+=("$n")
}
sync_job keystone bash -c "keystone-manage --config-file '$ETC/keystone/keystone.conf' db_sync"
sync_job placement placement-manage --config-file "$ETC/placement/placement.conf" db sync
sync_job glance glance-manage --config-file "$ETC/glance/glance-api.conf" db_sync
sync_job neutron neutron-db-manage --config-file "$ETC/neutron/neutron.conf" \
  --config-file "$ETC/neutron/ml2_conf.ini" upgrade heads
nova_sync() { # runs where errexit is off: every step checked explicitly
  local c="--config-file=$ETC/nova/nova.conf"
  nova-manage "$c" api_db sync || return 1
  nova-manage "$c" cell_v2 map_cell0 \
    --database_connection "mysql+pymysql://devcloud:${DB_PASS}@127.0.0.1/nova_cell0?charset=utf8" || return 1
  if ! nova-manage "$c" cell_v2 list_cells 2>/dev/null | grep -q ' cell1 '; then
    nova-manage "$c" cell_v2 create_cell --name cell1 || return 1
  fi
  nova-manage "$c" db sync || return 1
}
sync_job nova nova_sync
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || die "database sync of ${names[$i]} failed" "$LOGS/dbsync-${names[$i]}.log"
done

# ---------------------------------------------------------------- Keystone
step "Keystone on 127.0.0.1:5000" "$LOGS/keystone.log"
mkdir -p "$STATE/keystone"
if [[ ! -d "$STATE/keystone/fernet-keys" ]]; then
  keystone-manage --config-file "$ETC/keystone/keystone.conf" fernet_setup --keystone-user root --keystone-group root >>"$LOGS/keystone.log" 2>&1
  keystone-manage --config-file "$ETC/keystone/keystone.conf" credential_setup --keystone-user root --keystone-group root >>"$LOGS/keystone.log" 2>&1
fi
if ! svc_alive keystone; then
  port_open 5000 && die "port 5000 is taken by a process devcloud did not start; stop it first"
  start_api keystone "$ETC/keystone/devcloud-uwsgi.ini" uwsgi --ini "$ETC/keystone/uwsgi.ini"
fi
if [[ ! -f "$STATE/keystone-bootstrap.done" || "$STATE/secrets.env" -nt "$STATE/keystone-bootstrap.done" ]]; then
  keystone-manage --config-file "$ETC/keystone/keystone.conf" bootstrap \
    --bootstrap-password "$ADMIN_PASS" --bootstrap-username admin --bootstrap-project-name admin \
    --bootstrap-role-name admin --bootstrap-region-id "$REGION" \
    --bootstrap-admin-url "$KEYSTONE_URL" --bootstrap-internal-url "$KEYSTONE_URL" \
    --bootstrap-public-url "$KEYSTONE_URL" >>"$LOGS/keystone.log" 2>&1
  touch "$STATE/keystone-bootstrap.done"
fi
poll "Keystone to answer on :5000" 90 http_answers http://127.0.0.1:5000/v3

step "starting Placement, Glance, Neutron, nova-api, fake OVS agent"
if ! svc_alive placement; then
  port_open 8778 && die "port 8778 is taken by a process devcloud did not start"
  start_api placement "$ETC/placement/devcloud-uwsgi.ini" uwsgi --ini "$ETC/placement/uwsgi.ini"
fi
if ! svc_alive glance; then
  port_open 9292 && die "port 9292 is taken by a process devcloud did not start"
  start_api glance "$ETC/glance/devcloud-uwsgi.ini" glance-api --config-file "$ETC/glance/glance-api.conf"
fi
# Neutron sees the (fake) Open vSwitch agent of compute1 as alive forever: ports bind as vif_type=ovs.
mysql_root neutron <<SQL
INSERT INTO agents (id, agent_type, \`binary\`, topic, host, admin_state_up, created_at, started_at,
  heartbeat_timestamp, configurations, \`load\`, resources_synced)
VALUES ('0ca5e0a4-5e1f-4f7b-9d2c-00000000c0de', 'Open vSwitch agent', 'neutron-openvswitch-agent', 'N/A',
  '${COMPUTE_HOST}', 1, UTC_TIMESTAMP(), UTC_TIMESTAMP(), '2099-01-01 00:00:00',
  '{"bridge_mappings": {"physnet1": "br-ex"}, "integration_bridge": "br-int", "tunnel_types": [], "datapath_type": "system", "ovs_hybrid_plug": false, "ovs_capabilities": {"datapath_types": ["system"], "iface_types": ["internal", "system"]}, "devices": 0, "l2_population": false, "enable_distributed_routing": false, "arp_responder_enabled": false}',
  0, 1)
ON DUPLICATE KEY UPDATE heartbeat_timestamp = '2099-01-01 00:00:00', admin_state_up = 1;
SQL
if ! svc_alive neutron; then
  port_open 9696 && die "port 9696 is taken by a process devcloud did not start"
  start_api neutron "$ETC/neutron/devcloud-uwsgi.ini" \
    neutron-server --config-file "$ETC/neutron/neutron.conf" --config-file "$ETC/neutron/ml2_conf.ini"
fi
if [[ "$RELEASE" != zed ]] && ! svc_alive neutron-rpc; then
  start_svc neutron-rpc neutron-rpc-server --config-file "$ETC/neutron/neutron.conf" \
    --config-file "$ETC/neutron/ml2_conf.ini"
fi
if ! svc_alive nova-api; then
  port_open 8774 && die "port 8774 is taken by a process devcloud did not start"
  start_api nova-api "$ETC/nova/devcloud-uwsgi.ini" nova-api --config-file "$ETC/nova/nova.conf"
fi
svc_alive fake-ovs-agent || start_svc fake-ovs-agent "$PY" "$DEVCLOUD_DIR/fake_ovs_agent.py" \
  --config-file "$ETC/neutron/neutron.conf"

step "Keystone: projects, users, roles, service catalog; then nova conductor, scheduler, compute" "$LOGS/bootstrap.log"
export DEVCLOUD_ADMIN_PASS="$ADMIN_PASS" DEVCLOUD_DEMO_PASS="$DEMO_PASS" DEVCLOUD_READER_PASS="$READER_PASS" \
  DEVCLOUD_ALT_PASS="$ALT_PASS" DEVCLOUD_SERVICE_PASS="$SERVICE_PASS" DEVCLOUD_STATE="$STATE"
if [[ ! -f "$STATE/identity.done" || "$STATE/secrets.env" -nt "$STATE/identity.done" ]]; then
  "$PY" "$DEVCLOUD_DIR/bootstrap.py" identity >>"$LOGS/bootstrap.log" 2>&1
  touch "$STATE/identity.done"
else
  say "    already done (RESET=1 redoes it)"
fi
# These talk to keystone/placement at start-up (and exit on a 401), so they need the service users.
svc_alive nova-conductor || start_svc nova-conductor nova-conductor --config-file "$ETC/nova/nova.conf"
svc_alive nova-scheduler || start_svc nova-scheduler nova-scheduler --config-file "$ETC/nova/nova.conf"
svc_alive nova-compute || start_svc nova-compute "$PY" "$DEVCLOUD_DIR/nova-compute.py" \
  --config-file "$ETC/nova/nova-compute.conf"

alive_and_answers() { # name url
  svc_alive "$1" || die "$1 exited during start-up" "$LOGS/$1.log"
  http_answers "$2"
}
for w in placement:http://127.0.0.1:8778/ glance:http://127.0.0.1:9292/ neutron:http://127.0.0.1:9696/ \
  nova-api:http://127.0.0.1:8774/; do
  n="${w%%:*}"
  CURRENT_LOG="$LOGS/$n.log"
  poll "$n to answer on ${w#*:}" 120 alive_and_answers "$n" "${w#*:}"
  say "    $n answers"
done

nova_service_up() { # binary
  svc_alive "$1" || die "$1 exited during start-up" "$LOGS/$1.log"
  [[ -n "$(mysql_root -N nova -e "SELECT id FROM services WHERE \`binary\`='$1' AND deleted=0
     AND TIMESTAMPDIFF(SECOND, COALESCE(updated_at, created_at), UTC_TIMESTAMP()) < 60")" ]]
}
for b in nova-conductor nova-scheduler nova-compute; do
  CURRENT_LOG="$LOGS/$b.log"
  poll "$b to register in the nova DB" 120 nova_service_up "$b"
done
svc_alive fake-ovs-agent || die "fake-ovs-agent exited" "$LOGS/fake-ovs-agent.log"

step "cell discovery and placement inventory of $COMPUTE_HOST" "$LOGS/nova-compute.log"
host_mapped() { [[ -n "$(mysql_root -N nova_api -e "SELECT id FROM host_mappings WHERE host='$COMPUTE_HOST'")" ]]; }
# nova-compute reports its service before its compute node exists (later still on the newer
# releases), and discovery maps only hosts with a compute node: redo it until the host is mapped.
discovered() {
  host_mapped && return 0
  nova-manage --config-file="$ETC/nova/nova.conf" cell_v2 discover_hosts --verbose >>"$LOGS/nova-manage.log" 2>&1
  host_mapped
}
poll "host mapping for $COMPUTE_HOST" 120 discovered
rp_ready() {
  [[ -n "$(mysql_root -N placement -e "SELECT i.id FROM resource_providers r JOIN inventories i
     ON i.resource_provider_id = r.id WHERE r.name='$COMPUTE_HOST' LIMIT 1")" ]]
}
poll "resource provider $COMPUTE_HOST with inventory in placement" 120 rp_ready

step "flavor, image, networks" "$LOGS/bootstrap.log"
if [[ ! -f "$STATE/bootstrap.done" ]]; then
  "$PY" "$DEVCLOUD_DIR/bootstrap.py" resources >>"$LOGS/bootstrap.log" 2>&1
  touch "$STATE/bootstrap.done"
else
  say "    already done (RESET=1 redoes it)"
fi
say "services of $RELEASE are up"
