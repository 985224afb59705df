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
from concurrent import futures

from opentelemetry import trace
from opentelemetry.instrumentation.grpc import GrpcInstrumentorClient, GrpcInstrumentorServer

from service_output import emit, hex_id, log, printing_tracer_provider, wait_until_stopped


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

    provider = printing_tracer_provider()
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
    emit({"ready": True, "port": port})
    wait_until_stopped(args.max_seconds)
    server.stop(grace=1).wait()
    provider.shutdown()


if __name__ == "__main__":
    main()
