"""Scrapy project that discovers annual reports on government sites and keeps every capture."""

from scrapy.downloadermiddlewares import cookies as _cookies
from tldextract import TLDExtract as _TLDExtract

# Scrapy's cookie middleware asks tldextract for the public-suffix list, which it downloads
# on first use: use the snapshot bundled with tldextract instead, so a crawl contacts nothing
# but the sites it crawls.
_cookies._split_domain = _TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)
