"""URL prefixes of files served as they are (styles, scripts, ReactPy's client): no session lookup, no journal."""

ASSET_PREFIXES = ("/static/", "/_reactpy/assets", "/_reactpy/modules")
