"""One module per page kind of the site."""


def filters(request, names, table):
    """``(conditions, params)`` of the ``?name=value`` filters a page takes, on columns of the
    table aliased ``table``; an empty value is no filter."""
    conditions, params = [], {}
    for name in names:
        if request.args.get(name):
            conditions.append(f"{table}.{name} = :{name}")
            params[name] = request.args.get(name)
    return conditions, params
