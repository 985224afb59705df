import { TraceFlags, trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { AWSXRayPropagator, AWSXRAY_TRACE_ID_HEADER } from '@opentelemetry/propagator-aws-xray';
import { readHexId } from '../core/span-context.js';
import { newSpanId } from './child-span.js';

/**
 * The AWS X-Ray propagator (`xray`): OpenTelemetry's `AWSXRayPropagator`, plus the headers it
 * drops although the X-Ray header format allows them — a `Root` without `Parent` (what an AWS
 * load balancer sends on every request it starts a trace for, and the X-Ray SDK for unsampled
 * requests) and a header without a `Sampled` decision (or `Sampled=?`). Such a header keeps
 * its `Root` as the trace id; a missing `Parent` becomes a fresh span id standing for the hop
 * that recorded no span, so the service's own span is a child of it in that trace. Without a
 * sampling decision, `sampled` decides the flags.
 *
 * @example
 * ```ts
 * propagation.setGlobalPropagator(new XRayPropagator(true));
 * ```
 */
export class XRayPropagator implements TextMapPropagator {
  readonly #aws = new AWSXRayPropagator();

  /** @param sampled The sampled flag of a header that carries no sampling decision. */
  constructor(private readonly sampled: boolean) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.#aws.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const extracted = this.#aws.extract(context, carrier, getter);
    if (extracted !== context) return extracted;
    const header = getter.get(carrier, AWSXRAY_TRACE_ID_HEADER);
    const value = Array.isArray(header) ? header[0] : header;
    if (typeof value !== 'string') return context;
    const fields = readXRayHeader(value);
    if (fields === undefined) return context;
    const flags = fields.sampled ?? (this.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE);
    return trace.setSpanContext(context, {
      traceId: fields.traceId,
      spanId: fields.parentId ?? newSpanId(),
      traceFlags: flags,
      isRemote: true,
      // As OpenTelemetry's propagator does: a tracestate extracted before is kept.
      traceState: trace.getSpanContext(context)?.traceState,
    });
  }

  fields(): string[] {
    return this.#aws.fields();
  }
}

interface XRayFields {
  readonly traceId: string;
  readonly parentId: string | undefined;
  /** `undefined` when the header carries no decision (no `Sampled`, or `Sampled=?`). */
  readonly sampled: TraceFlags | undefined;
}

// X-Ray header: `Root=1-<8 hex epoch>-<24 hex>;Parent=<16 hex>;Sampled=<0|1|?>`, fields in any
// order, `Root` the only required one (AWS X-Ray developer guide, "Tracing header").
function readXRayHeader(header: string): XRayFields | undefined {
  let traceId: string | undefined;
  let parentId: string | undefined;
  let sampled: TraceFlags | undefined;
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals === -1) continue;
    const key = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    if (key === 'Root') traceId = readRoot(value);
    else if (key === 'Parent') parentId = readHexId(value, 16);
    else if (key === 'Sampled') {
      sampled = value === '1' ? TraceFlags.SAMPLED : value === '0' ? TraceFlags.NONE : undefined;
    }
  }
  return traceId === undefined ? undefined : { traceId, parentId, sampled };
}

function readRoot(root: string): string | undefined {
  if (root.length !== 35 || !root.startsWith('1-') || root.charAt(10) !== '-') return undefined;
  return readHexId(root.slice(2, 10) + root.slice(11), 32);
}
