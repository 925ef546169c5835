"""Items the crawler yields: a captured document that may hold an annual report."""

import scrapy


class CaptureItem(scrapy.Item):
    """One fetched document with what provenance needs (SPEC §10 reports columns)."""

    url = scrapy.Field()
    final_url = scrapy.Field()
    status = scrapy.Field()
    fetched_at = scrapy.Field()
    sha256 = scrapy.Field()
    content_type = scrapy.Field()
    body = scrapy.Field()
    referer = scrapy.Field()
