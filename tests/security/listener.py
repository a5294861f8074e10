"""A loopback HTTP server in its own process that records every request it receives (for SSRF tests).

Another process, not a thread: saxonche keeps the GIL while it fetches, so a server in the test's own
process could never answer and the test would hang instead of failing.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

_SERVER = r"""
import http.server, sys
log = open(sys.argv[1], "a", buffering=1)
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        log.write(self.path + "\n")
        body = b'<!ENTITY x "fetched">'
        self.send_response(200)
        self.send_header("Content-Type", "application/xml-dtd")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


class Listener:
    def __init__(self, folder: Path) -> None:
        self.log = folder / "requests.log"
        self.log.touch()
        self.process = subprocess.Popen([sys.executable, "-c", _SERVER, str(self.log)], stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline())
        self.url = f"http://127.0.0.1:{self.port}"

    def requests(self, settle: float = 0.0) -> list[str]:
        time.sleep(settle)
        return self.log.read_text().splitlines()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=5)
