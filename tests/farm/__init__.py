"""The test farm: imitation government sites on 127.0.0.1 with ground-truth manifests.

``python -m farm`` (from tests/) serves it for the demo; tests start it in-process.
"""

from .archetypes import site_a2, site_a3, site_a6, site_a8, site_a9, wall_sites
from .sites import finish_manifest, site_a1

BUILDERS = {"a1": site_a1, "a2": site_a2, "a3": site_a3, "a6": site_a6, "a8": site_a8, "a9": site_a9}


def build(names=None):
    sites = {name: builder() for name, builder in BUILDERS.items() if not names or name in names}
    for name, site in wall_sites().items():
        if not names or name in names or "a10" in names:
            sites[name] = site
    return sites


def start_farm(names=None, ports=None):
    """Start the named sites (default all); returns ``{name: Site}`` with manifests filled."""
    sites = build(names)
    for name, site in sites.items():
        site.start((ports or {}).get(name, 0))
        finish_manifest(site)
    return sites


def stop_farm(sites):
    for site in sites.values():
        site.stop()
