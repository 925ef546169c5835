"""The archive's own record: a :class:`Capture`, one fetch whatever its outcome (the report, cell,
fact and flag records are the extractors': extractors.records)."""

from dataclasses import dataclass

from extractors.records import Record


@dataclass
class Capture(Record):
    """One response (or failure to get one): where it was asked, what came back, where its bytes
    are kept in the WARC files, and what it meant (crawler.outcomes)."""

    url: str  # URL requested
    run_id: int = None
    final_url: str = None  # URL answered (after redirects)
    method: str = None
    referer: str = None
    kind: str = None  # start | nav | column | list | api | detail | attachment | robots | rendered | browser
    status: int = None  # HTTP status (None when no response)
    fetched_at: str = None
    sha256: str = None
    size: int = None
    content_type: str = None
    encoding: str = None
    etag: str = None
    last_modified: str = None
    warc_file: str = None
    warc_offset: int = None
    outcome: str = None
    detail: str = None
    report_id: str = None
