"""Present for scrapyd-deploy, which builds eggs with ``setup.py bdist_egg``; the project's
metadata is in pyproject.toml."""

from setuptools import setup

setup()
