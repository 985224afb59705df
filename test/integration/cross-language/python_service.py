"""A small Python service traced with the real OpenTelemetry Python SDK, for the
cross-language propagation test.

GET /work?callback=<url>: continues the caller's trace (W3C traceparent/tracestate/baggage,
the SDK's default propagators), logs a JSON line, calls <url> with the context injected (so the
Node service sees this service's span as its parent), logs again and answers with its ids.

stdout, one JSON object per line:
  {"ready": true, "port": N}                                once listening (the first line)
  {"service": "python", "msg": ..., "trace_id", "span_id", "parent_span_id", "baggage"}  logs
  {"span": {...}}                                           every ended span (SDK exporter)
Stops by itself on SIGTERM, on stdin closing (its parent died) or after --max-seconds.
"""

import argparse
import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from opentelemetry import context, propagate, trace
from opentelemetry.trace import SpanKind

from service_output import emit, hex_id, log, printing_tracer_provider, wait_until_stopped

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urlparse(self.path)
        if url.path != "/work":
            self.answer(404, {"error": "not found"})
            return
        callback = parse_qs(url.query).get("callback", [None])[0]
        # Attached, not only passed as the span's parent: the baggage must be current too.
        token = context.attach(propagate.extract(dict(self.headers.items())))
        try:
            self.work(callback)
        finally:
            context.detach(token)

    def work(self, callback):
        tracer = trace.get_tracer("python-service")
        with tracer.start_as_current_span("GET /work", kind=SpanKind.SERVER):
            log("python handling /work")
            status = 200
            if callback:
                headers = {}
                propagate.inject(headers)
                try:
                    with urllib.request.urlopen(
                        urllib.request.Request(callback, headers=headers), timeout=10
                    ) as response:
                        answer = json.loads(response.read().decode("utf-8"))
                    log("python got the callback's answer", callback_answer=answer)
                except Exception as error:  # the test reads the log line, not a traceback
                    log("python's callback failed", error=repr(error))
                    status = 502
            ctx = trace.get_current_span().get_span_context()
            self.answer(
                status,
                {"trace_id": hex_id(ctx.trace_id, 32), "span_id": hex_id(ctx.span_id, 16)},
            )

    def answer(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        # http.server's access log goes to stderr; the test wants stderr empty of noise.
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args()

    provider = printing_tracer_provider()

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    emit({"ready": True, "port": server.server_address[1]})
    wait_until_stopped(args.max_seconds)
    server.shutdown()
    provider.shutdown()


if __name__ == "__main__":
    main()
