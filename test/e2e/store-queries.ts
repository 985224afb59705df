// Reading the stores through their own HTTP query APIs only: VictoriaLogs' LogsQL endpoint,
// Jaeger's API v3 and Zipkin's API v2.

/** A log record as VictoriaLogs answers it: its fields, flattened, all as strings. */
export type StoredRecord = Readonly<Record<string, string>>;

/** A span, as either trace store gives it. */
export interface StoredSpan {
  readonly spanId: string;
  readonly service: string;
  readonly name: string;
  /**
   * Status ERROR: in Jaeger the span's status; in Zipkin the `otel.status_code` tag the SDK's
   * exporter writes (it adds an `error` tag only when the status has a message).
   */
  readonly error: boolean;
}

async function getText(url: string): Promise<{ status: number; text: string }> {
  const answer = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  return { status: answer.status, text: await answer.text() };
}

/**
 * The records a LogsQL query finds, after asking VictoriaLogs to make everything it has taken in
 * searchable (`/internal/force_flush`).
 */
export async function queryLogs(victoriaLogs: string, logsql: string): Promise<StoredRecord[]> {
  await getText(`${victoriaLogs}/internal/force_flush`);
  const { status, text } = await getText(
    `${victoriaLogs}/select/logsql/query?query=${encodeURIComponent(logsql)}`,
  );
  if (status !== 200) throw new Error(`LogsQL ${logsql} answered ${status}: ${text}`);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as StoredRecord);
}

interface OtlpSpan {
  readonly spanId: string;
  readonly name: string;
  readonly status?: { readonly code?: number | string };
}
interface OtlpTraces {
  readonly resourceSpans?: readonly {
    readonly resource?: {
      readonly attributes?: readonly { key: string; value: { stringValue?: string } }[];
    };
    readonly scopeSpans?: readonly { readonly spans?: readonly OtlpSpan[] }[];
  }[];
}

// Jaeger answers OTLP-JSON ({"result": {resourceSpans}}); a search streams one such object per
// chunk of traces.
function parseJaeger(text: string): OtlpTraces[] {
  const chunks: OtlpTraces[] = [];
  for (const part of text.split('\n').filter((line) => line.trim() !== '')) {
    const parsed = JSON.parse(part) as { result?: OtlpTraces };
    if (parsed.result !== undefined) chunks.push(parsed.result);
  }
  return chunks;
}

function spansOf(chunks: OtlpTraces[]): (StoredSpan & { traceId: string })[] {
  const spans: (StoredSpan & { traceId: string })[] = [];
  for (const chunk of chunks) {
    for (const resourceSpans of chunk.resourceSpans ?? []) {
      const service =
        resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value
          .stringValue ?? '';
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          const code = span.status?.code;
          spans.push({
            traceId: (span as OtlpSpan & { traceId: string }).traceId,
            spanId: span.spanId,
            service,
            name: span.name,
            error: code === 2 || code === 'STATUS_CODE_ERROR',
          });
        }
      }
    }
  }
  return spans;
}

/** The spans of one trace in Jaeger (`GET /api/v3/traces/<id>`); undefined when not found. */
export async function jaegerTrace(
  jaegerQuery: string,
  traceId: string,
): Promise<StoredSpan[] | undefined> {
  const { status, text } = await getText(`${jaegerQuery}/api/v3/traces/${traceId}`);
  if (status === 404) return undefined;
  if (status !== 200) throw new Error(`Jaeger answered ${status}: ${text}`);
  return spansOf(parseJaeger(text));
}

/** The ids of the traces Jaeger holds with a span of `service` that started after `since`. */
export async function jaegerTraceIds(
  jaegerQuery: string,
  service: string,
  since: Date,
): Promise<string[]> {
  const params = new URLSearchParams({
    'query.service_name': service,
    'query.start_time_min': since.toISOString(),
    'query.start_time_max': new Date(Date.now() + 60_000).toISOString(),
    'query.num_traces': '100000',
  });
  const { status, text } = await getText(`${jaegerQuery}/api/v3/traces?${params.toString()}`);
  if (status === 404) return [];
  if (status !== 200) throw new Error(`Jaeger answered ${status}: ${text}`);
  return [...new Set(spansOf(parseJaeger(text)).map((span) => span.traceId))];
}

interface ZipkinSpan {
  readonly id: string;
  readonly name?: string;
  readonly localEndpoint?: { readonly serviceName?: string };
  readonly tags?: Readonly<Record<string, string>>;
}

/** The spans of one trace in Zipkin (`GET /api/v2/trace/<id>`); undefined when not found. */
export async function zipkinTrace(
  zipkin: string,
  traceId: string,
): Promise<StoredSpan[] | undefined> {
  const { status, text } = await getText(`${zipkin}/api/v2/trace/${traceId}`);
  if (status === 404) return undefined;
  if (status !== 200) throw new Error(`Zipkin answered ${status}: ${text}`);
  return (JSON.parse(text) as ZipkinSpan[]).map((span) => ({
    spanId: span.id,
    service: span.localEndpoint?.serviceName ?? '',
    name: span.name ?? '',
    error: span.tags?.['otel.status_code'] === 'ERROR' || span.tags?.error !== undefined,
  }));
}
