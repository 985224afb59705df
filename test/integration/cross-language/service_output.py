"""What the Python peers of the cross-language tests share: one JSON object per stdout line
(logs, ended spans, the ready line) under one lock, the tracer provider that prints every ended
span, and the wait until the test stops them (SIGTERM, stdin closing, or --max-seconds)."""

import json
import signal
import sys
import threading

from opentelemetry import baggage, trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

_print_lock = threading.Lock()


def emit(obj):
    # One lock for logs and spans: lines written from several handler threads never interleave.
    with _print_lock:
        sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
        sys.stdout.flush()


def hex_id(value, width):
    return format(value, "0{}x".format(width))


def span_as_json(span):
    ctx = span.get_span_context()
    return json.dumps(
        {
            "span": {
                "name": span.name,
                "kind": span.kind.name,
                "trace_id": hex_id(ctx.trace_id, 32),
                "span_id": hex_id(ctx.span_id, 16),
                "parent_span_id": hex_id(span.parent.span_id, 16) if span.parent else None,
                "parent_is_remote": bool(span.parent and span.parent.is_remote),
                "attributes": dict(span.attributes or {}),
            }
        },
        separators=(",", ":"),
    ) + "\n"


class LockedStdout:
    """ConsoleSpanExporter writes through this, under the same lock as the logs."""

    def write(self, text):
        with _print_lock:
            sys.stdout.write(text)

    def flush(self):
        with _print_lock:
            sys.stdout.flush()


def log(msg, **fields):
    span = trace.get_current_span()
    ctx = span.get_span_context()
    parent = getattr(span, "parent", None)
    emit(
        {
            "service": "python",
            "msg": msg,
            "trace_id": hex_id(ctx.trace_id, 32),
            "span_id": hex_id(ctx.span_id, 16),
            "parent_span_id": hex_id(parent.span_id, 16) if parent else None,
            "baggage": dict(baggage.get_all()),
            **fields,
        }
    )


def printing_tracer_provider():
    """The SDK's TracerProvider, set as the global one, printing every ended span."""
    provider = TracerProvider()
    provider.add_span_processor(
        SimpleSpanProcessor(ConsoleSpanExporter(out=LockedStdout(), formatter=span_as_json))
    )
    trace.set_tracer_provider(provider)
    return provider


def wait_until_stopped(max_seconds):
    """Blocks until SIGTERM, stdin's end (the parent keeps it open: EOF means it is gone, so do
    not outlive it) or max_seconds."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait(max_seconds)
