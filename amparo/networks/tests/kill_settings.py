"""Settings of the worker subprocess in test_worker_kill.py: the project's, plus the fake
gateway's address and a short delivery lease (read from the environment the test sets)."""

import os

from config.settings import *  # noqa: F403 -- the project's settings, unchanged

AMPARO_SIGNAL_GATEWAY_URL = os.environ["AMPARO_TEST_GATEWAY_URL"]
AMPARO_SIGNAL_SENDER = "+4100000000"
AMPARO_DELIVERY_LEASE_SECONDS = 2
