# shellcheck shell=bash
# write_config: generate every service's configuration under $ETC (sourced by services.sh).
# Zed (on the host): $ETC is the state's etc/; package files under /etc are left alone and the
# daemons get explicit --config-file / env. A newer release (in its chroot): $ETC is the chroot's
# own /etc, where the packages' uwsgi inis and wsgi modules look for their files.

# Processes of the Nova and Neutron APIs under uwsgi (Debian's inis run one thread each): a request
# holds its process for as long as it takes (an attach waits on nova-compute, and Nova's and
# nova-compute's calls to Neutron queue behind it), so with one or two the API itself, not the
# machine, bounds a run whose checks are at once. Two per core, as Debian sizes them for a server.
API_PROCESSES=4

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
memcached_servers = 127.0.0.1:11211
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

# _debian_uwsgi src dst port processes [line...]: Debian's own uwsgi ini of a service, changed
# only where a single node on loopback needs it: on 127.0.0.1:port, fewer processes, output to
# our log (no logto), no AppArmor (uwsgi stops at aa_change_profile() on a kernel without it), as
# root like every other devcloud process (the configs are root's, 0600), no wsgi-file the
# package no longer ships (the module line stays). Everything else (threads, rem-header
# Content-Length, Connection: close) is the release's.
_debian_uwsgi() {
  local src="$1" dst="$2" port="$3" procs="$4" wsgi_file l
  shift 4
  [[ -f "$src" ]] || die "$src is missing: is the chroot complete?"
  wsgi_file="$(sed -nE 's/^\s*wsgi-file\s*=\s*(\S+).*/\1/p' "$src" | head -n 1)"
  {
    sed -E -e '/^\s*(logto|uid|gid|apparmor-profile|http-socket|socket)\s*=/d' \
      -e "s/^(\\s*processes\\s*=).*/\\1 ${procs}/" \
      -e '/^\s*plugins\s*=/s/,\s*apparmor//' "$src" |
      if [[ -n "$wsgi_file" && ! -e "$wsgi_file" ]]; then grep -v '^\s*wsgi-file\s*='; else cat; fi
    echo "# devcloud"
    echo "http-socket = 127.0.0.1:${port}"
    for l in "$@"; do echo "$l"; done
  } | _put "$dst"
}

write_config() {
  local db="mysql+pymysql://devcloud:${DB_PASS}@127.0.0.1"
  local mq="rabbit://openstack:${RABBIT_PASS}@127.0.0.1:5672/"
  local newer=0
  [[ "$RELEASE" == zed ]] || newer=1
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
[cache]
enabled = true
backend = oslo_cache.memcache_pool
memcache_servers = 127.0.0.1:11211
EOF
  if ((newer)); then
    _debian_uwsgi "$ETC/keystone/keystone-uwsgi.ini" "$ETC/keystone/devcloud-uwsgi.ini" 5000 2
  else
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
  fi

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
  if ((newer)); then
    _debian_uwsgi "$ETC/placement/placement-api-uwsgi.ini" "$ETC/placement/devcloud-uwsgi.ini" 8778 1
  else
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
  fi

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
  if ((newer)); then
    _debian_uwsgi "$ETC/glance/glance-api-uwsgi.ini" "$ETC/glance/devcloud-uwsgi.ini" 9292 1
  fi

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
  if ((newer)); then
    _debian_uwsgi "$ETC/neutron/neutron-api-uwsgi.ini" "$ETC/neutron/devcloud-uwsgi.ini" 9696 "$API_PROCESSES" \
      "pyargv = --config-file ${ETC}/neutron/neutron.conf --config-file ${ETC}/neutron/ml2_conf.ini"
  fi

  # ---- nova (api, conductor, scheduler read nova.conf; compute reads nova-compute.conf)
  # Zed: FakeDriver, and its policy defaults stated (or the new ones, if asked for). Newer:
  # FakeDriverWithoutFakeNodes (with FakeDriver every restart of nova-compute dies: "No local node
  # identity found"), the release's policy untouched, and nova's service token on its calls to
  # neutron (Neutron 29 lets a member delete a compute:* port only with one).
  local compute_driver policy service_user=""
  if ((newer)); then
    compute_driver=fake.FakeDriverWithoutFakeNodes
    policy=""
    service_user="$(_auth_section service_user nova)
send_service_user_token = true"
  else
    compute_driver=fake.FakeDriver
    policy="[oslo_policy]
enforce_scope = false
enforce_new_defaults = ${NOVA_NEW_DEFAULTS}"
  fi
  local nova_common
  nova_common="$(cat <<EOF
[DEFAULT]
use_stderr = true
host = ${COMPUTE_HOST}
my_ip = 127.0.0.1
transport_url = ${mq}
state_path = ${STATE}/nova
instances_path = ${STATE}/nova/instances
compute_driver = ${compute_driver}
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
${policy}
$(_authtoken nova)
$(_auth_section placement placement)
$(_auth_section neutron neutron)
[glance]
region_name = ${REGION}
[cinder]
os_region_name = ${REGION}
${service_user}
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
  if ((newer)); then
    _debian_uwsgi "$ETC/nova/nova-api-uwsgi.ini" "$ETC/nova/devcloud-uwsgi.ini" 8774 "$API_PROCESSES"
  fi
}
