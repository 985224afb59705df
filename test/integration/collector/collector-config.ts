/** What a test may change about the collector's configuration. */
export interface CollectorOptions {
  /**
   * Processors put in front of `batch` in the logs pipeline, in order: id → component config,
   * e.g. `{ memory_limiter: { check_interval: '100ms', limit_mib: 64 } }`.
   * @default {}
   */
  extraProcessors?: Record<string, Record<string, unknown>>;
  /**
   * Largest request the OTLP receiver accepts, in MiB: gRPC `max_recv_msg_size_mib` and HTTP
   * `max_request_body_size`.
   * @default the collector's own limits (gRPC 4 MiB, HTTP 20 MiB)
   */
  receiverMaxRecvMsgSizeMib?: number;
  /**
   * The collector's own log level (written to `collector.log` in the temp dir).
   * @default 'warn'
   */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * Adds the debug exporter to the logs pipeline; it writes what it receives into the
   * collector's own log at level info, so pair it with `logLevel: 'info'` or `'debug'`.
   * @default undefined (no debug exporter)
   */
  debugVerbosity?: 'basic' | 'normal' | 'detailed';
}

/** Everything the config file needs: the ports and files chosen by `startCollector`. */
export interface CollectorConfigInput extends CollectorOptions {
  grpcPort: number;
  httpPort: number;
  healthPort: number;
  logsFile: string;
  tracesFile: string;
  collectorLogFile: string;
}

/** How often the file exporter flushes to disk (its default is 1 s); tests poll the file. */
export const FILE_FLUSH_INTERVAL = '100ms';

// JSON is YAML (flow style), so values are written with JSON.stringify: paths and component
// configs need no YAML quoting rules of their own.
const json = JSON.stringify;

/**
 * Renders the collector's YAML config: OTLP receiver (gRPC + HTTP) → [extra processors, batch] →
 * file exporter writing OTLP JSON lines, plus a traces pipeline to its own file, the health_check
 * extension, no internal metrics listener (:8888) and the collector's own logs in a file.
 *
 * @example
 * writeFileSync(configFile, renderCollectorConfig({ grpcPort, httpPort, healthPort, ...files }));
 */
export function renderCollectorConfig(input: CollectorConfigInput): string {
  const extra = Object.entries(input.extraProcessors ?? {});
  const maxMib = input.receiverMaxRecvMsgSizeMib;
  const logsExporters = ['file/logs', ...(input.debugVerbosity ? ['debug'] : [])];
  return [
    'receivers:',
    '  otlp:',
    '    protocols:',
    '      grpc:',
    `        endpoint: 127.0.0.1:${input.grpcPort}`,
    ...(maxMib === undefined ? [] : [`        max_recv_msg_size_mib: ${maxMib}`]),
    '      http:',
    `        endpoint: 127.0.0.1:${input.httpPort}`,
    ...(maxMib === undefined ? [] : [`        max_request_body_size: ${maxMib * 1024 * 1024}`]),
    'processors:',
    ...extra.map(([id, config]) => `  ${json(id)}: ${json(config)}`),
    '  batch:',
    '    timeout: 50ms',
    'exporters:',
    '  file/logs:',
    `    path: ${json(input.logsFile)}`,
    '    format: json',
    `    flush_interval: ${FILE_FLUSH_INTERVAL}`,
    // A restarted collector (startAgain) keeps adding to the same file.
    '    append: true',
    '  file/traces:',
    `    path: ${json(input.tracesFile)}`,
    '    format: json',
    `    flush_interval: ${FILE_FLUSH_INTERVAL}`,
    '    append: true',
    ...(input.debugVerbosity ? ['  debug:', `    verbosity: ${input.debugVerbosity}`] : []),
    'extensions:',
    '  health_check:',
    `    endpoint: 127.0.0.1:${input.healthPort}`,
    'service:',
    '  extensions: [health_check]',
    '  telemetry:',
    '    metrics:',
    '      level: none',
    '    logs:',
    `      level: ${input.logLevel ?? 'warn'}`,
    `      output_paths: [${json(input.collectorLogFile)}]`,
    `      error_output_paths: [${json(input.collectorLogFile)}]`,
    '  pipelines:',
    '    logs:',
    '      receivers: [otlp]',
    `      processors: ${json([...extra.map(([id]) => id), 'batch'])}`,
    `      exporters: ${json(logsExporters)}`,
    '    traces:',
    '      receivers: [otlp]',
    '      processors: [batch]',
    '      exporters: [file/traces]',
    '',
  ].join('\n');
}
