"""Serve the test farm, or crawl it into an archive: ``python -m farm`` from tests/.

    python -m farm --serve                 # serve every site until Ctrl-C; prints start URLs
    python -m farm --crawl ../demo/archive.db   # serve, crawl it with ``nianbao crawl``, stop
    python -m farm --demo ../demo/archive.db    # the bundled demo (farm/demo.py): chained years, planted problems
"""

import argparse
import json
import os
import subprocess
import sys
import time

from . import lists, start_farm, stop_farm


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="serve until interrupted")
    parser.add_argument("--crawl", metavar="DB", help="crawl the farm into this archive, then stop")
    parser.add_argument("--first-port", type=int, default=0, help="first port (default: any free ports)")
    parser.add_argument("--manifest", help="write the ground-truth manifests here (JSON)")
    parser.add_argument("--no-variants", action="store_true", help="leave out the list-mechanism variant sites")
    parser.add_argument("--variant-seed", type=int, default=1, help="seed of the list-mechanism variant sites")
    parser.add_argument("--demo", metavar="DB", help="crawl the demo's sites (farm/demo.py) into this archive, then stop")
    args = parser.parse_args()
    from .sites import write_manifest

    if args.demo:
        from . import demo

        # 3: finished, with the incomplete township column the demo has on purpose
        sys.exit(0 if demo.crawl(args.demo) == 3 else 1)

    names = None
    sites = start_farm(names, ports=None if not args.first_port else {
        name: args.first_port + n for n, name in enumerate(sorted(__import__("farm").build()))})
    if not args.no_variants:
        # One site per list mechanism (drawn with seed 1), the script-only portal and the walled list.
        for name, site in lists.start(args.variant_seed).items():
            sites[f"list-{name}"] = site
    try:
        for name, site in sites.items():
            print(f"{name:16} {site.base}/  {site.manifest.archetype}", file=sys.stderr)
        if args.manifest:
            write_manifest([s.manifest for s in sites.values()], args.manifest)
        if args.crawl:
            nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
            urls = [arg for site in sites.values() for arg in ("--start-url", site.base + "/")]
            result = subprocess.run([nianbao, "crawl", *urls, "--db", args.crawl, "--delay", "0", "--log-level", "WARNING",
                                     "-s", "DOWNLOAD_TIMEOUT=3", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"])
            expected = sum(len(s.manifest.reports) for s in sites.values() if getattr(s, "expect_report", True))
            print(f"farm: {expected} genuine reports on {len(sites)} sites", file=sys.stderr)
            # 3: finished, with the incomplete lists the farm has on purpose (printed above)
            sys.exit(0 if result.returncode == 3 else result.returncode)
        if args.serve:
            print(json.dumps({name: site.base + "/" for name, site in sites.items()}))
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        stop_farm(sites)


if __name__ == "__main__":
    main()
