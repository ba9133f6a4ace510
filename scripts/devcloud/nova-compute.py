#!/usr/bin/python3
"""nova-compute without the nova-compute package (which pulls in libvirt and qemu).

python3-nova ships nova.cmd.compute; with compute_driver = fake.FakeDriver nothing else is needed.
Usage: nova-compute.py --config-file nova-compute.conf
"""
import sys

sys.argv[0] = "nova-compute"
from nova.cmd.compute import main  # noqa: E402  (nova.cmd applies eventlet monkey patching)

sys.exit(main())
