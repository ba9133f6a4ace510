#!/usr/bin/python3
"""Stand-in for the Open vSwitch agent of the fake compute host (devcloud only).

Neutron binds ports to the fake host because up.sh inserted an always-alive
'Open vSwitch agent' row for it. A real agent would then wire the port and report it up.
This one polls neutron's DB for ports bound to the host that are still DOWN and reports
them up with the agent RPC a real agent uses (update_device_list on topic q-plugin).
Neutron then sets them ACTIVE and sends nova the network-vif-plugged event.

Usage: fake_ovs_agent.py --config-file neutron.conf [--host compute1]
"""
try:  # eventlet monkey patching, as neutron's agents did up to Neutron 26 (Neutron 29 has none)
    import neutron.cmd.eventlet  # noqa: F401
except ImportError:
    pass

import configparser
import sys
import time
from urllib.parse import unquote, urlparse

import pymysql
from neutron.agent import rpc as agent_rpc
from neutron.common import config as common_config
from neutron_lib.agent import topics
from neutron_lib import context as n_context

HOST = "compute1"
args = sys.argv[1:]
if "--host" in args:
    i = args.index("--host")
    HOST = args[i + 1]
    del args[i:i + 2]
conf_files = [args[i + 1] for i, a in enumerate(args) if a == "--config-file"]


def db_params():
    cp = configparser.ConfigParser(interpolation=None, strict=False)
    cp.read(conf_files)
    u = urlparse(cp.get("database", "connection"))
    return dict(host=u.hostname or "127.0.0.1", port=u.port or 3306, user=unquote(u.username),
                password=unquote(u.password or ""), database=u.path.lstrip("/"), autocommit=True)


QUERY = """SELECT p.id FROM ports p JOIN ml2_port_bindings b ON b.port_id = p.id
WHERE b.host = %s AND b.status = 'ACTIVE' AND p.status = 'DOWN'
AND b.vif_type NOT IN ('unbound', 'binding_failed')"""


def log(msg):
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} fake-ovs-agent: {msg}", flush=True)


def main():
    common_config.register_common_config_options()
    common_config.init(args)  # also initialises oslo.messaging from transport_url
    plugin = agent_rpc.PluginApi(topics.PLUGIN)
    ctx = n_context.get_admin_context_without_session()
    agent_id = f"ovs-agent-{HOST}"
    params = db_params()
    log(f"watching ports bound to {HOST}")
    db = None
    while True:
        try:
            if db is None:
                db = pymysql.connect(**params)
            with db.cursor() as cur:
                cur.execute(QUERY, (HOST,))
                ports = [r[0] for r in cur.fetchall()]
            if ports:
                res = plugin.update_device_list(ctx, ports, [], agent_id, HOST)
                failed = res.get("failed_devices_up") or []
                log(f"reported up: {len(ports) - len(failed)} port(s) {ports}; failed: {failed}")
        except Exception as e:  # keep going: neutron or the DB may be restarting
            log(f"error: {e!r}")
            try:
                db and db.close()
            except Exception:
                pass
            db = None
            time.sleep(2)
        time.sleep(0.5)


if __name__ == "__main__":
    main()
