import { OTLPExporterError } from '@opentelemetry/otlp-exporter-base';
import { isPermanentExportError } from '../../../transports/worker/export-queue.js';

const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

describe('isPermanentExportError', () => {
  it.each([
    ['HTTP 400', new OTLPExporterError('Bad Request', 400)],
    ['HTTP 413', new OTLPExporterError('Payload Too Large', 413)],
    ['HTTP 404', new OTLPExporterError('Not Found', 404)],
    [
      'gRPC RESOURCE_EXHAUSTED for a message past the size limit',
      grpcError(
        8,
        '8 RESOURCE_EXHAUSTED: grpc: received message larger than max (5173325 vs. 4194304)',
      ),
    ],
  ])('is permanent for %s', (_name, error) => {
    expect(isPermanentExportError(error)).toBe(true);
  });

  it.each([
    ['HTTP 408', new OTLPExporterError('Request Timeout', 408)],
    ['HTTP 429', new OTLPExporterError('Too Many Requests', 429)],
    ['HTTP 503', new OTLPExporterError('Service Unavailable', 503)],
    ['gRPC RESOURCE_EXHAUSTED as throttling', grpcError(8, '8 RESOURCE_EXHAUSTED: rate limited')],
    ['gRPC UNAVAILABLE', grpcError(14, '14 UNAVAILABLE: No connection established')],
    [
      'a connection error',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['nothing', undefined],
    ['a string', 'failed'],
  ])('is worth retrying for %s', (_name, error) => {
    expect(isPermanentExportError(error)).toBe(false);
  });
});
