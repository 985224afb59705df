// Integration tests start real processes: a collector is healthy in well under a second, but a
// test may start several and wait for file flushes, so allow more than Jest's 5 s default.
jest.setTimeout(30_000);
