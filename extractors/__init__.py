"""Extractors: annual-report documents (HTML, text, PDF, Word, spreadsheets) to normalised cells and facts."""

from .report import UnsupportedDocument, extract

__all__ = ["extract", "UnsupportedDocument"]
