"""The published archive's site: a Datasette plugin of the project, laid out like Datasette.

``hooks`` holds the plugin's hook implementations; ``views/`` one module per page kind (report,
snapshots, feed, charts); ``templates/`` ships as package data, so plain ``datasette archive.db``
with the package installed shows the same pages as ``nianbao serve``.
"""

from .hooks import asgi_wrapper, extra_body_script, extra_template_vars, menu_links, prepare_connection, register_routes, render_cell  # noqa: F401 - the plugin's hooks
