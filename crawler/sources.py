"""The source registry: named sites with region, start URLs and platform hints (sources.yml)."""

import os

import yaml

REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sources.yml")


def load_sources(path=None):
    with open(path or os.environ.get("NIANBAO_SOURCES") or REGISTRY, encoding="utf-8") as f:
        return {entry["name"]: entry for entry in yaml.safe_load(f)["sources"]}


def load_source(name, path=None):
    """One source by name; a clear error listing the known names otherwise."""
    sources = load_sources(path)
    if name not in sources:
        raise KeyError(f"no source named {name!r} in the registry; known: {', '.join(sorted(sources))}")
    return sources[name]
