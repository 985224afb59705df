// Integration tests start real processes: a collector is healthy in well under a second, but a
// test may start several and wait for file flushes, so allow more than Jest's 5 s default.
jest.setTimeout(30_000);

// These tests time real processes against each other (outage windows, exit budgets) on a
// 2-core machine. One failure in three full runs was seen (the winston outage test, under
// investigation — see the issue note), so a failed test runs once more; the first failure is
// still printed in full, and a test that fails twice is red.
jest.retryTimes(1, { logErrorsBeforeRetry: true });
