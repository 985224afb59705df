// Integration tests start real processes: a collector is healthy in well under a second, but a
// test may start several and wait for file flushes, so allow more than Jest's 5 s default.
jest.setTimeout(30_000);

// These tests time real processes against each other (outage windows, exit budgets) on a
// 2-core machine, so a failed test runs once more; the first failure is still printed in full,
// and a test that fails twice is red. (The failure once seen here — winston's outage test, in
// full runs only — was a real loss, not timing: a GC before exit; see OPEN_STREAMS in
// transports/winston/otlp-transport.ts.)
jest.retryTimes(1, { logErrorsBeforeRetry: true });
