"""Archive: validation rules, the SQLite schema and writer, and the ``nianbao`` command line."""
