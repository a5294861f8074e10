"""The browser-side helpers of frontend/static/chorale.js as ReactPy components (served offline)."""

from pathlib import Path

from reactpy import web

_MODULE = web.module_from_file("chorale", Path(__file__).parent / "static" / "chorale.js", fallback="")

UrlSync, CookieWriter = web.export(_MODULE, ["UrlSync", "CookieWriter"])

# FileUpload(props): file input + drop zone sending with XMLHttpRequest; progress, done and error come
# back as events (see chorale.js). Wrapped for screens by frontend/components/upload.py.
FileUpload = web.export(_MODULE, "FileUpload")

# DialogFocus(): inside a modal dialog, takes focus, traps Tab, gives focus back when the dialog goes.
# RestoreFocus({armed, targetId?, after?}): focus back in the form after a re-render removed its element.
DialogFocus, RestoreFocus = web.export(_MODULE, ["DialogFocus", "RestoreFocus"])
