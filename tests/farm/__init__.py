"""The test farm: imitation government sites on 127.0.0.1 with ground-truth manifests."""

from .sites import finish_manifest, site_a1

BUILDERS = {"a1": site_a1}


def start_farm(names=None, ports=None):
    """Start the named sites (default all); returns ``{name: Site}`` with manifests filled."""
    sites = {}
    for name in names or BUILDERS:
        site = BUILDERS[name]()
        site.start((ports or {}).get(name, 0))
        finish_manifest(site)
        sites[name] = site
    return sites
