"""One module per page kind of the site."""
