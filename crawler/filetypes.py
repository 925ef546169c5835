"""What a download's HTTP headers say about the file: its name (what the file is, its bytes say:
extractors.filetypes)."""

import re
from urllib.parse import unquote


def disposition_filename(value):
    """The file name of a Content-Disposition header, decoding RFC 5987, UTF-8 and raw GBK."""
    if not value:
        return None
    raw = value if isinstance(value, bytes) else value.encode("latin-1", "replace")
    match = re.search(rb"filename\*\s*=\s*([\w-]+)''([^;]+)", raw, re.I)
    if match:
        return unquote(match.group(2).decode("ascii", "replace"), encoding=match.group(1).decode() or "utf-8")
    match = re.search(rb'filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)', raw, re.I)
    if not match:
        return None
    name = (match.group(1) or match.group(2)).strip()
    for encoding in ("utf-8", "gb18030"):
        try:
            return unquote(name.decode(encoding))
        except UnicodeDecodeError:
            continue
    return name.decode("latin-1")



