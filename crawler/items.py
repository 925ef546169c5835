"""Items the spiders yield to the archive pipeline."""

import scrapy


class ReportItem(scrapy.Item):
    """A page that is (or fronts) an annual report, with the capture it came from."""

    url = scrapy.Field()
    body = scrapy.Field()
    charset = scrapy.Field()  # the HTTP header's charset, a hint for decoding
    decoded = scrapy.Field()  # (text, encoding) of the body, decoded once as it was captured
    capture_id = scrapy.Field()
    fetched_at = scrapy.Field()
    title = scrapy.Field()  # the title the list page gave it
    attachments = scrapy.Field()  # [(url, name)]
    stub = scrapy.Field()  # the page says the report is in an attachment (详见附件)


class AttachmentItem(scrapy.Item):
    """A file linked from a report page."""

    url = scrapy.Field()
    report_url = scrapy.Field()
    name = scrapy.Field()
    file_type = scrapy.Field()
    role = scrapy.Field()  # body (the report itself) | attachment
    body = scrapy.Field()
    capture_id = scrapy.Field()
