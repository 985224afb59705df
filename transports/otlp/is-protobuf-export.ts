import type { ResolvedOtlpOptions } from './resolve-otlp-options.js';

/**
 * Whether the records go out as OTLP protobuf (`http/protobuf` or `grpc`), through
 * `createProtobufLogExporter` — which also takes records that came encoded — rather than as
 * OTLP/JSON or to the console or none exporter. Its own module: the winston transport asks on
 * the logging thread, which must not load the exporters.
 *
 * @example
 * ```ts
 * isProtobufExport(resolveOtlpOptions({ protocol: 'grpc' })); // true
 * ```
 */
export function isProtobufExport(options: ResolvedOtlpOptions): boolean {
  return options.exporter === 'otlp' && options.protocol !== 'http/json';
}
