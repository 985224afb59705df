// One run of bench/line-intake.mjs: a pino logger with the intake target given as argv[2]
// logs BENCH_RECORDS lines in one synchronous burst, and ends. Prints the time from the first
// call until pino's exit hook has seen the worker take every line, and the peak RSS.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';

const intake = process.argv[2];
const records = Number(process.env.BENCH_RECORDS ?? 100000);
const target = fileURLToPath(new URL('./line-intake-target.cjs', import.meta.url));
const transport = pino.transport({ target, options: { intake } });
const logger = pino({}, transport);
const fields = {
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
  span_id: '00f067aa0ba902b7',
  trace_flags: '01',
};

transport.once('ready', () => {
  setTimeout(() => {
    const start = process.hrtime.bigint();
    for (let n = 0; n < records; n++) logger.info({ n, ...fields }, 'hello world');
    // pino's exit hook ends the stream and waits until the worker has taken every line.
    process.once('exit', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
      process.stdout.write(`${JSON.stringify({ intake, ms, peakRssMiB: peakKiB / 1024 })}\n`);
    });
  }, 300);
});
