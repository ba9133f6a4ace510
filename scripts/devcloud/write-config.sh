# shellcheck shell=bash
# write_config: generate every service's configuration under $ETC (sourced by up.sh).
# Package files under /etc are left alone; daemons get explicit --config-file / env.

_auth_section() { # section username
  cat <<EOF
[$1]
auth_url = http://127.0.0.1:5000/v3
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = ${SERVICE_PASS}
region_name = ${REGION}
EOF
}
_authtoken() { # username
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:5000
auth_url = http://127.0.0.1:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = ${SERVICE_PASS}
region_name = ${REGION}
memcached_servers =
EOF
}

# Write only when the content changed (keeps mtimes stable; a running service keeps its config).
_put() { # path (content on stdin)
  local tmp
  tmp="$(mktemp)"
  cat >"$tmp"
  if [[ -f "$1" ]] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; return 0; fi
  install -D -m 600 "$tmp" "$1"
  rm -f "$tmp"
}

write_config() {
  local db="mysql+pymysql://devcloud:${DB_PASS}@127.0.0.1"
  local mq="rabbit://openstack:${RABBIT_PASS}@127.0.0.1:5672/"
  mkdir -p "$STATE"/{keystone,glance/images,glance/staging,glance/tasks,glance/cache,nova/instances,neutron,locks}

  _put "$ETC/my.cnf" <<EOF
[mysqld]
user = mysql
bind-address = 127.0.0.1
port = 3306
socket = /run/mysqld/mysqld.sock
pid-file = /run/mysqld/mysqld.pid
datadir = /var/lib/mysql
skip-name-resolve
max_connections = 1000
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
innodb_buffer_pool_size = 128M
# a throw-away dev cloud: speed over durability (makes the schema migrations much faster)
innodb_flush_log_at_trx_commit = 0
innodb_doublewrite = 0
sync_binlog = 0
skip-log-bin
[client]
socket = /run/mysqld/mysqld.sock
EOF

  # ---- keystone
  _put "$ETC/keystone/keystone.conf" <<EOF
[DEFAULT]
use_stderr = true
[database]
connection = ${db}/keystone?charset=utf8
[token]
provider = fernet
[fernet_tokens]
key_repository = ${STATE}/keystone/fernet-keys
[fernet_receipts]
key_repository = ${STATE}/keystone/fernet-keys
[credential]
key_repository = ${STATE}/keystone/credential-keys
EOF
  _put "$ETC/keystone/uwsgi.ini" <<EOF
[uwsgi]
plugins = python3
http-socket = 127.0.0.1:5000
wsgi-file = /usr/bin/keystone-wsgi-public
env = OS_KEYSTONE_CONFIG_FILES=${ETC}/keystone/keystone.conf
master = true
processes = 2
threads = 1
die-on-term = true
need-app = true
lazy-apps = true
buffer-size = 65535
add-header = Connection: close
EOF

  # ---- placement
  _put "$ETC/placement/placement.conf" <<EOF
[DEFAULT]
use_stderr = true
[placement_database]
connection = ${db}/placement?charset=utf8
[api]
auth_strategy = keystone
$(_authtoken placement)
EOF
  _put "$ETC/placement/uwsgi.ini" <<EOF
[uwsgi]
plugins = python3
http-socket = 127.0.0.1:8778
wsgi-file = /usr/bin/placement-api
env = OS_PLACEMENT_CONFIG_DIR=${ETC}/placement
master = true
processes = 1
threads = 1
die-on-term = true
need-app = true
lazy-apps = true
buffer-size = 65535
add-header = Connection: close
EOF

  # ---- glance
  _put "$ETC/glance/glance-api.conf" <<EOF
[DEFAULT]
use_stderr = true
bind_host = 127.0.0.1
bind_port = 9292
workers = 1
enabled_backends = fs:file
image_cache_dir = ${STATE}/glance/cache
[database]
connection = ${db}/glance?charset=utf8
$(_authtoken glance)
[paste_deploy]
flavor = keystone
config_file = /usr/share/glance-common/glance-api-paste.ini
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = ${STATE}/glance/images
[os_glance_staging_store]
filesystem_store_datadir = ${STATE}/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = ${STATE}/glance/tasks
[oslo_concurrency]
lock_path = ${STATE}/locks
EOF

  # ---- neutron
  _put "$ETC/neutron/neutron.conf" <<EOF
[DEFAULT]
use_stderr = true
bind_host = 127.0.0.1
bind_port = 9696
core_plugin = ml2
service_plugins =
auth_strategy = keystone
api_paste_config = /usr/share/neutron-common/api-paste.ini
transport_url = ${mq}
state_path = ${STATE}/neutron
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
api_workers = 1
rpc_workers = 1
rpc_state_report_workers = 1
[database]
connection = ${db}/neutron?charset=utf8
$(_authtoken neutron)
$(_auth_section nova nova)
[oslo_concurrency]
lock_path = ${STATE}/locks
[agent]
root_helper =
EOF
  _put "$ETC/neutron/ml2_conf.ini" <<EOF
[ml2]
type_drivers = flat,vlan,local
tenant_network_types = local
mechanism_drivers = openvswitch
extension_drivers = port_security
[ml2_type_flat]
flat_networks = physnet1
[ml2_type_vlan]
network_vlan_ranges = physnet1
EOF

  # ---- nova (api, conductor, scheduler read nova.conf; compute reads nova-compute.conf)
  local nova_common
  nova_common="$(cat <<EOF
[DEFAULT]
use_stderr = true
host = ${COMPUTE_HOST}
my_ip = 127.0.0.1
transport_url = ${mq}
state_path = ${STATE}/nova
instances_path = ${STATE}/nova/instances
compute_driver = fake.FakeDriver
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = 8774
osapi_compute_workers = 1
[wsgi]
api_paste_config = /usr/share/nova-common/api-paste.ini
[api]
auth_strategy = keystone
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = -1
[oslo_concurrency]
lock_path = ${STATE}/locks
[oslo_policy]
enforce_scope = false
enforce_new_defaults = ${NOVA_NEW_DEFAULTS}
$(_authtoken nova)
$(_auth_section placement placement)
$(_auth_section neutron neutron)
[glance]
region_name = ${REGION}
[cinder]
os_region_name = ${REGION}
EOF
)"
  _put "$ETC/nova/nova.conf" <<EOF
${nova_common}
[api_database]
connection = ${db}/nova_api?charset=utf8
[database]
connection = ${db}/nova?charset=utf8
EOF
  _put "$ETC/nova/nova-compute.conf" <<<"$nova_common"
}
