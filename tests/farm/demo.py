"""The bundled demo: two county portals whose agencies' years chain (carry-over, documents in
force) at a realistic scale, so that only what is planted raises a flag, and one walled site;
crawled before and after the last year's deadline, as a live archive would be.

Planted, and nothing else: a report whose total of new requests breaks the form's identities
(ERROR) and stands; another that did and was corrected (a second version); a walled source
(Ruishu 412); a department that never published its last report (missing, with the complete
listing as evidence); a township column walled on the second crawl (unknown); a report page
that fails (not got). Every report says it is synthetic demo data.

    python -m farm --demo ../demo/archive.db
"""

import os
import subprocess
import sys

from .agencies_site import site_agencies
from .archetypes import wall_sites

SEEDS = (1, 2)
BEFORE, AFTER = "2024-01-15T09:00:00+00:00", "2024-04-15T09:00:00+00:00"
FAST = ["--delay", "0", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "NIANBAO_PROGRESS_SECONDS=0"]


def sites():
    """The demo's sites, not started: ``{name: site}``."""
    out = {f"county-{seed}": site_agencies(seed, chained=True, synthetic=True, identity_break=seed == SEEDS[0])
           for seed in SEEDS}
    out["walled"] = wall_sites()["a10-ruishu"]
    return out


def _crawl(nianbao, site, db_path, now):
    region = ["--region-code", site.truth["code"]] if getattr(site, "truth", None) else []
    done = subprocess.run([nianbao, "crawl", "--start-url", site.base + "/", *region, "--db", db_path, *FAST],
                          env=dict(os.environ, NIANBAO_NOW=now))
    return done.returncode


def crawl(db_path):
    """Serve the demo's sites, crawl them twice into ``db_path`` (before and after the last
    year's deadline), stop. Returns the exit status of the last crawls (3: incomplete, as planted)."""
    nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
    demo = sites()
    for site in demo.values():
        site.start()
    try:
        for name, site in demo.items():
            print(f"demo site {name}: {site.base}/  {getattr(site, 'truth', {}).get('county', 'walled (Ruishu 412)')}",
                  file=sys.stderr)
        codes = []
        for phase, now in (("before", BEFORE), ("after", AFTER)):
            for site in demo.values():
                site.phase = phase
                codes.append(_crawl(nianbao, site, db_path, now))
        if any(code not in (0, 3) for code in codes):
            return 1
        return 3 if 3 in codes else 0
    finally:
        for site in demo.values():
            site.stop()
