import { SpanStatusCode } from '@opentelemetry/api';
import pino from 'pino';
import { pinoTraceSampling } from 'tracelink/pino';
import { withConsumerSpan } from 'tracelink/propagation';
import { CaptureStream } from '../helpers/capture-stream.js';
import { finishedSpans, useW3CPropagators } from '../helpers/http-server.js';
import { useTracing } from '../helpers/tracing.js';
import { describeBufferScenarios } from './buffer-scenarios.js';
import { bufferedPino, bufferedWinston } from './loggers.js';

const tracing = useTracing();
useW3CPropagators();

describe('pinoTraceBuffer with the OpenTelemetry SDK', () => {
  describeBufferScenarios(() => bufferedPino());
});

describe('winstonTraceBuffer with the OpenTelemetry SDK', () => {
  describeBufferScenarios(() => bufferedWinston());
});

describe('a trace buffer and the SDK’s own span', () => {
  it('flushes for the same failure that marks tracelink’s consumer span ERROR', async () => {
    tracing.exporter.reset();
    const logger = bufferedPino();
    await expect(
      withConsumerSpan({ system: 'kafka', destination: 'orders' }, {}, async () => {
        logger.debug('detail');
        await Promise.resolve();
        throw new Error('bad message');
      }),
    ).rejects.toThrow('bad message');
    const [span] = await finishedSpans(tracing.exporter);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    const [line] = await logger.written();
    expect(line.msg).toBe('detail');
    await logger.close();
  });
});

describe('trace-based sampling with the OpenTelemetry SDK', () => {
  it('follows the sampler’s decision for the SDK’s spans', () => {
    const stream = new CaptureStream();
    const sampling = pinoTraceSampling();
    const logger = pino({ level: 'debug', hooks: { logMethod: sampling.logMethod } }, stream);
    tracing.unsampledTracer.startActiveSpan('dropped', (span) => {
      logger.debug('unsampled debug');
      logger.warn('unsampled warn');
      span.end();
    });
    tracing.tracer.startActiveSpan('kept', (span) => {
      logger.debug('sampled debug');
      span.end();
    });
    expect(stream.lines.map((l) => l.msg)).toEqual(['unsampled warn', 'sampled debug']);
    expect(sampling.stats().dropped).toBe(1);
  });
});
