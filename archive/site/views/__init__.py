"""One module per page kind of the site."""

import functools
import os
import unicodedata

from extractors.agencies import KINDS, LEVELS
from ...agencies import STATUSES
from extractors.spec import ERAS

MAX_VALUE = 200  # characters of a filter value: a name of a place or agency is far shorter
# The filters whose values are a closed vocabulary, and that vocabulary.
CHOICES = {"level": LEVELS, "agency_kind": KINDS, "kind": KINDS, "era": ERAS,
           "status": STATUSES}


_KEPT = {}
_KEPT_MAX = 1024


async def kept(db, key, compute):
    """``await compute()`` for a page's figures, kept for the next request when the database is
    immutable (a published snapshot never changes: the file's path, size and time say which
    one it is). A national archive's headline counts read a million rows; they are read once."""
    if db.is_mutable or not db.path:
        return await compute()
    stat = os.stat(db.path)
    full = (db.path, stat.st_size, stat.st_mtime_ns, key)
    if full not in _KEPT:
        if len(_KEPT) >= _KEPT_MAX:
            _KEPT.clear()
        _KEPT[full] = await compute()
    return _KEPT[full]


class BadParameter(ValueError):
    """A query parameter a page refuses; answered 400 with the reason (see :func:`validated`)."""


def validated(view):
    """A page view whose :class:`BadParameter` becomes a 400 answer of one line saying why
    (Datasette would log a traceback for it)."""
    @functools.wraps(view)
    async def answer(datasette, request):
        from datasette.utils.asgi import Response

        try:
            return await view(datasette, request)
        except BadParameter as error:
            return Response.text(f"400 Bad Request: {error}\n", status=400)
    return answer


def parameter(request, name):
    """The value of ``?name=``, validated: None when absent or empty; a value of a closed
    vocabulary outside it, too long, or holding control characters is a 400 that says why."""
    value = request.args.get(name)
    if not value:
        return None
    if len(value) > MAX_VALUE:
        raise BadParameter(f"?{name}= is {len(value)} characters long; a filter value is at most {MAX_VALUE}")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in value):
        raise BadParameter(f"?{name}= holds control or unassigned characters")
    if name in CHOICES and value not in CHOICES[name]:
        raise BadParameter(f"?{name}= must be one of {', '.join(CHOICES[name])}")
    return value


def filters(request, names, table):
    """``(conditions, params)`` of the ``?name=value`` filters a page takes, on columns of the
    table aliased ``table``; an empty value is no filter."""
    conditions, params = [], {}
    for name in names:
        value = parameter(request, name)
        if value is not None:
            conditions.append(f"{table}.{name} = :{name}")
            params[name] = value
    return conditions, params



def wants_bom(request):
    """Whether ``?bom=1`` (or Datasette's style, ``?_bom=1``) asks for a byte-order mark."""
    return (request.args.get("bom") or request.args.get("_bom")) in ("1", "on", "true")


def csv_response(rows, columns, filename, request):
    """Rows (dicts) as a CSV download (archive.exports writes it), with a UTF-8 byte-order mark
    when the request asks for one."""
    import io

    from datasette.utils.asgi import Response

    from ...exports import write_rows

    out = io.StringIO()
    write_rows(columns, ([row.get(c) for c in columns] for row in rows), out, "csv", wants_bom(request))
    return Response(out.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def beside_db(db, name):
    """A file or folder named ``name`` in the folder of the database being served."""
    return os.path.join(os.path.dirname(db.path or "."), name)


def site_base(request):
    """The site's own address; a Host header that is not a host name is not echoed (feeds and
    charts put absolute links in their output)."""
    import re

    host = request.host if re.fullmatch(r"[A-Za-z0-9.\-]+(?::\d{1,5})?|\[[0-9A-Fa-f:.]+\](?::\d{1,5})?", request.host or "") \
        else "localhost"
    return f"{request.scheme if request.scheme in ('http', 'https') else 'http'}://{host}"
