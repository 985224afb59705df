"""A small gRPC service in Python (grpcio), traced by the real OpenTelemetry Python SDK and its
gRPC instrumentation, for the cross-language gRPC test.

/demo.Relay/Work (unary, JSON messages): the instrumentation continues the caller's trace from
the metadata (W3C traceparent/tracestate/baggage); the handler logs a JSON line, calls
/demo.Relay/Callback on 127.0.0.1:<request.callback_port> through an instrumented channel (so
the Node service sees this service's CLIENT span as its parent), logs again and answers with
its ids.

stdout, one JSON object per line:
  {"ready": true, "port": N}                                once listening (the first line)
  {"service": "python", "msg": ..., "trace_id", "span_id", "parent_span_id", "baggage"}  logs
  {"span": {...}}                                           every ended span (SDK exporter)
Stops by itself on SIGTERM, on stdin closing (its parent died) or after --max-seconds.
"""

import argparse
import json
import signal
import sys
import threading
from concurrent import futures

from opentelemetry import baggage, trace
from opentelemetry.instrumentation.grpc import GrpcInstrumentorClient, GrpcInstrumentorServer
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

_print_lock = threading.Lock()


def emit(obj):
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


def to_bytes(obj):
    return json.dumps(obj).encode("utf-8")


def from_bytes(data):
    return json.loads(data.decode("utf-8"))


def make_work(grpc):
    def work(request, context):
        log("python handling Work")
        with grpc.insecure_channel("127.0.0.1:{}".format(request["callback_port"])) as channel:
            callback = channel.unary_unary(
                "/demo.Relay/Callback",
                request_serializer=to_bytes,
                response_deserializer=from_bytes,
            )
            answer = callback({}, timeout=10)
        log("python got the callback's answer", callback_answer=answer)
        ctx = trace.get_current_span().get_span_context()
        return {"trace_id": hex_id(ctx.trace_id, 32), "span_id": hex_id(ctx.span_id, 16)}

    return work


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args()

    provider = TracerProvider()
    provider.add_span_processor(
        SimpleSpanProcessor(ConsoleSpanExporter(out=LockedStdout(), formatter=span_as_json))
    )
    trace.set_tracer_provider(provider)
    # Instrumented before grpc's server and channels are made, as an application does.
    GrpcInstrumentorServer().instrument()
    GrpcInstrumentorClient().instrument()
    import grpc

    handler = grpc.method_handlers_generic_handler(
        "demo.Relay",
        {
            "Work": grpc.unary_unary_rpc_method_handler(
                make_work(grpc), request_deserializer=from_bytes, response_serializer=to_bytes
            )
        },
    )
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    emit({"ready": True, "port": port})
    stop.wait(args.max_seconds)
    server.stop(grace=1).wait()
    provider.shutdown()


if __name__ == "__main__":
    main()
