"""A price API for the price_feed tests: answers GET with the file named in `current` (in the
directory given) and the status in that name's prefix ("500-..." answers 500), and records each
request's Authorization header in `requests.log`."""
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port, root = int(sys.argv[1]), sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        with open(os.path.join(root, "current"), encoding="utf-8") as f:
            name = f.read().strip()
        with open(os.path.join(root, name), "rb") as f:
            body = f.read()
        with open(os.path.join(root, "requests.log"), "a", encoding="utf-8") as log:
            log.write(f"{self.path} {self.headers.get('Authorization', '')} {self.headers.get('X-Api-Key', '')}\n")
        status = int(name.split("-")[0]) if name[0].isdigit() else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", port), Handler).serve_forever()
