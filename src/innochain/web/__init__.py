"""Server-rendered pages (Jinja2); every page has a JSON twin at `?format=json`."""
