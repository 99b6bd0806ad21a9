"""A webhook receiver for the alerts tests: records every POST as one JSON line (path,
headers, body, and whether the HMAC-SHA256 signature matches the shared secret), answers 200."""
import hashlib
import hmac
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port, out_path, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        record = {
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": json.loads(body),
            "signature_valid": hmac.compare_digest(expected, self.headers.get("X-Meterd-Signature", "")),
        }
        with open(out_path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", port), Handler).serve_forever()
