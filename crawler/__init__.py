"""Scrapy project that discovers annual reports on government sites and keeps every capture."""
