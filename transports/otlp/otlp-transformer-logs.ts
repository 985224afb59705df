// The logs half of @opentelemetry/otlp-transformer, imported from its own files. The package's
// index also loads its metrics serializers, and with them all of @opentelemetry/sdk-metrics,
// which nothing here uses: in every transport worker that is 100 more modules and several MiB
// of heap and code (see the import test). The package has no `exports` map, so these paths are
// public to Node; the version is pinned in package.json, and a test fails if they move.
export { LogsExporterMetricsHelper } from '@opentelemetry/otlp-transformer/build/src/logs/index.js';
export { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer/build/src/logs/protobuf/index.js';
export { JsonLogsSerializer } from '@opentelemetry/otlp-transformer/build/src/logs/json/index.js';
