"""Extractors: annual-report documents (HTML, plain text) to normalised cells and facts."""

from .report import UnsupportedDocument, extract

__all__ = ["extract", "UnsupportedDocument"]
