#!/usr/bin/env python3
"""Idempotent creation of the dev cloud's identity data and resources (run by up.sh).

    bootstrap.py identity   projects, users, role assignments, services and endpoints
    bootstrap.py resources  flavor, image, networks and subnets

Passwords come from the DEVCLOUD_*_PASS environment variables. Nothing secret is printed.
"""
import os
import sys
import time

import openstack
from keystoneauth1.exceptions.connection import ConnectFailure

REGION = "RegionOne"
KEYSTONE = "http://127.0.0.1:5000/v3"
SERVICE_USERS = ["nova", "neutron", "glance", "placement"]
CATALOG = [  # name, type, url
    ("nova", "compute", "http://127.0.0.1:8774/v2.1"),
    ("neutron", "network", "http://127.0.0.1:9696"),
    ("glance", "image", "http://127.0.0.1:9292"),
    ("placement", "placement", "http://127.0.0.1:8778"),
]
# project, user, password env, role
USERS = [
    ("demo", "demo", "DEVCLOUD_DEMO_PASS", "member"),
    ("demo", "demo-reader", "DEVCLOUD_READER_PASS", "reader"),
    ("alt", "alt", "DEVCLOUD_ALT_PASS", "member"),
]
# name, owner project, shared, cidr
NETWORKS = [
    ("demo-net", "demo", False, "10.0.0.0/24"),
    ("shared-net", "admin", True, "10.0.1.0/24"),
    ("alt-net", "alt", False, "10.0.2.0/24"),
]
FLAVOR = dict(name="m1.tiny", ram=128, vcpus=1, disk=1, id="42")
IMAGE = "tiny-raw"


def log(msg):
    print(f"[bootstrap {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def connect():
    last = None
    for _ in range(30):
        try:
            conn = openstack.connect(
                auth_url=KEYSTONE, username="admin", password=os.environ["DEVCLOUD_ADMIN_PASS"],
                project_name="admin", user_domain_name="Default", project_domain_name="Default",
                region_name=REGION, interface="public", identity_api_version="3",
                # see main(): keystoneauth redoes a request whose connection was reset
                connect_retries=5)
            conn.authorize()
            return conn
        except Exception as e:  # keystone still starting
            last = e
            time.sleep(1)
    raise SystemExit(f"cannot authenticate as admin: {last}")


def ensure_role(conn, name):
    return conn.identity.find_role(name) or conn.identity.create_role(name=name)


def ensure_project(conn, name, description):
    return conn.identity.find_project(name, domain_id="default") or conn.identity.create_project(
        name=name, domain_id="default", description=description)


def ensure_user(conn, name, password, project):
    user = conn.identity.find_user(name, domain_id="default")
    if user is None:
        log(f"create user {name}")
        return conn.identity.create_user(name=name, password=password, domain_id="default",
                                         default_project_id=project.id)
    conn.identity.update_user(user, password=password)  # keeps secrets.env authoritative
    return user


def grant(conn, project, user, role):
    # A GET of the assignments, not the SDK's HEAD check: under Debian's uwsgi inis (newer
    # releases) every bodiless HEAD answer ends in a connection reset for python-requests.
    have = conn.identity.role_assignments(scope_project_id=project.id, user_id=user.id,
                                          role_id=role.id)
    if not list(have):
        log(f"grant {role.name} on {project.name} to {user.name}")
        conn.identity.assign_project_role_to_user(project, user, role)


def identity(conn):
    roles = {n: ensure_role(conn, n) for n in ("admin", "member", "reader", "service")}
    service = ensure_project(conn, "service", "OpenStack service users")
    for n in SERVICE_USERS:
        u = ensure_user(conn, n, os.environ["DEVCLOUD_SERVICE_PASS"], service)
        # 'service' is needed: nova's calls on a user's behalf carry nova's own service token.
        grant(conn, service, u, roles["admin"])
        grant(conn, service, u, roles["service"])
    projects = {p: ensure_project(conn, p, f"devcloud {p} project") for p in ("demo", "alt")}
    projects["admin"] = conn.identity.find_project("admin", domain_id="default")
    for proj, name, env, role in USERS:
        u = ensure_user(conn, name, os.environ[env], projects[proj])
        grant(conn, projects[proj], u, roles[role])
    admin = conn.identity.find_user("admin", domain_id="default")
    grant(conn, projects["admin"], admin, roles["admin"])
    for name, stype, url in CATALOG:
        svc = conn.identity.find_service(name)
        if svc is None:
            log(f"create service {name} ({stype})")
            svc = conn.identity.create_service(name=name, type=stype, enabled=True)
        have = {e.interface: e for e in conn.identity.endpoints(service_id=svc.id)}
        for iface in ("public", "internal", "admin"):
            e = have.get(iface)
            if e is None:
                conn.identity.create_endpoint(service_id=svc.id, interface=iface, url=url,
                                              region_id=REGION, enabled=True)
            elif e.url != url:
                conn.identity.update_endpoint(e, url=url)
    log("identity ok")


def resources(conn):
    if conn.compute.find_flavor(FLAVOR["name"]) is None:
        log(f"create flavor {FLAVOR['name']}")
        conn.compute.create_flavor(is_public=True, **FLAVOR)
    img = conn.image.find_image(IMAGE)
    if img is not None and img.status != "active":
        log(f"deleting image {IMAGE} in state {img.status}")
        conn.image.delete_image(img)
        img = None
    if img is None:
        path = os.path.join(os.environ["DEVCLOUD_STATE"], "tiny.raw")
        with open(path, "wb") as f:  # the fake virt driver never reads it
            f.write(b"\0" * 4096)
        log(f"upload image {IMAGE}")
        img = conn.image.create_image(name=IMAGE, filename=path, disk_format="raw",
                                      container_format="bare", visibility="public",
                                      allow_duplicates=True, wait=True, timeout=60)
        deadline = time.time() + 60
        while conn.image.get_image(img.id).status != "active":
            if time.time() > deadline:
                raise SystemExit(f"image {IMAGE} did not become active")
            time.sleep(0.5)
    for name, owner, shared, cidr in NETWORKS:
        proj = conn.identity.find_project(owner, domain_id="default")
        net = conn.network.find_network(name, project_id=proj.id)
        if net is None:
            log(f"create network {name} (project {owner}, shared={shared})")
            net = conn.network.create_network(name=name, project_id=proj.id, is_shared=shared)
        if not list(conn.network.subnets(network_id=net.id)):
            log(f"create subnet {name}-subnet {cidr}")
            conn.network.create_subnet(name=f"{name}-subnet", network_id=net.id, project_id=proj.id,
                                       ip_version=4, cidr=cidr, is_dhcp_enabled=True)
    log("resources ok")


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else "identity"
    steps = {"identity": identity, "resources": resources}
    if what not in steps:
        raise SystemExit(f"unknown action {what}")
    conn = connect()
    # Debian's uwsgi inis of the newer releases strip Content-Length and close connections, and
    # python-requests then sees the odd reset; every step is idempotent, so it is simply redone.
    for attempt in range(1, 6):
        try:
            steps[what](conn)
            return
        except ConnectFailure as e:
            if attempt == 5:
                raise
            log(f"connection failure ({e.__class__.__name__}), redoing {what} (attempt {attempt + 1})")
            time.sleep(1)


if __name__ == "__main__":
    main()
