import type { RunningCollector } from './start-collector.js';

/** One way of sending to the collector, for the "it arrives correctly" tests of each transport. */
export interface OtlpExportCase {
  readonly protocol: 'http/protobuf' | 'http/json' | 'grpc';
  readonly compression: 'gzip' | undefined;
  /** The transport options for this case, as a fixture's FIXTURE_OPTIONS. */
  fixtureOptions(serviceName: string): string;
  /** The case's service name, so that its records are told apart: `pino-grpc-gzip`. */
  serviceName(prefix: string): string;
}

/**
 * Every protocol, plain and with gzip: the collector must take compressed requests as they
 * are sent (the unit tests compare their bytes and headers with the official exporters').
 * The endpoint is read when a test runs, once `collectorOf()` has started.
 */
export function otlpExportCases(collectorOf: () => RunningCollector): OtlpExportCase[] {
  const protocols = ['http/protobuf', 'http/json', 'grpc'] as const;
  return [undefined, 'gzip' as const].flatMap((compression) =>
    protocols.map((protocol) => ({
      protocol,
      compression,
      fixtureOptions: (serviceName: string) => {
        const collector = collectorOf();
        const endpoint = protocol === 'grpc' ? collector.grpcEndpoint : collector.logsUrl;
        return JSON.stringify({ endpoint, protocol, compression, serviceName });
      },
      serviceName: (prefix: string) =>
        [prefix, protocol, compression].filter((part) => part !== undefined).join('-'),
    })),
  );
}
