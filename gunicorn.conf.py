"""gunicorn's settings for Amparo. gunicorn reads this file from its working directory (the
project's root, as docs/deployment.md runs it); command-line options still win.

The one thing here is the garbage collector. A worker holds a few hundred thousand objects that
live as long as it does: Django, the URL map, compiled templates, translations. Python's full
collection walks all of them, every few dozen requests, which showed as p95 latencies of 30 to
100 ms on pages whose median is 5 to 13 ms. Freezing what the worker holds once it is warm
takes those objects out of every later collection (gc.freeze, as Instagram did for Django).
"""

from __future__ import annotations

import gc
from typing import Any

#: Requests a worker answers before it freezes what it holds: by then the templates, URL
#: patterns and catalogues that are loaded on first use are in memory.
WARM_AFTER = 20


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    served = getattr(worker, "_amparo_served", 0) + 1
    worker._amparo_served = served
    if served == WARM_AFTER:
        gc.collect()  # what is garbage now must not be frozen with the rest
        gc.freeze()
