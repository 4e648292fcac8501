"""The site's production settings, with the benchmark's own static folders.

benchmarks/run.py serves the site with these: DEBUG off, a generated secret
key, WhiteNoise with hashed names, and two folders of its own, so that the
pages it measures can be served as static files by the same stack without
touching the repository's staticfiles/.
"""

import os
from pathlib import Path

from mlperf_site.settings import *  # noqa: F403
from mlperf_site.settings import STATICFILES_DIRS

# collectstatic writes here (a temporary folder) ...
STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
# ... from the site's static/ and the folder where run.py saves response bodies.
STATICFILES_DIRS = [*STATICFILES_DIRS, Path(os.environ["BENCH_STATIC_DIR"])]
# The benchmark's uncached pages: "?nocache=1" renders afresh (the site itself has no
# such parameter: it would let anyone keep it rendering).
RESULTS_CACHE_BYPASS_PARAM = "nocache"
