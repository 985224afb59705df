import type { Config } from 'jest';

// Tests run from TypeScript source, transpiled file by file by ts-jest (type-checking is
// `npm run typecheck`'s job, which covers test/ too). Source imports carry `.js` extensions for Node's ESM
// resolver; the mapper strips them for Jest's CommonJS run.
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        // isolatedModules (from tsconfig): transpile file by file, no type-check here.
        tsconfig: {
          module: 'CommonJS',
          moduleResolution: 'Node10',
          verbatimModuleSyntax: false,
          isolatedModules: true,
        },
      },
    ],
  },
  moduleNameMapper: {
    '^tracelink$': '<rootDir>/src/index.ts',
    '^tracelink/(pino|winston|propagation)$': '<rootDir>/src/$1/index.ts',
    '^tracelink/otel-logs$': '<rootDir>/transports/otel-logs/index.ts',
    '^tracelink/grpc$': '<rootDir>/src/propagation/grpc/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
} satisfies Config;

const config: Config = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/test/packaging/', '/test/integration/', '/test/e2e/'],
    },
    // The packed tarball installed into a fresh project (20-60 s of npm): `npm run test:packaging`,
    // not `npm test`; CI runs both.
    { ...shared, displayName: 'packaging', testMatch: ['<rootDir>/test/packaging/**/*.test.ts'] },
    // Against a real OpenTelemetry Collector process: `npm run test:integration`, not `npm test`.
    // The global setup finds (or builds, once) the collector binary; the teardown stops leftovers.
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/integration/jest-setup.ts'],
    },
    // The stores (VictoriaLogs, Jaeger, Zipkin), the collector, the example services and a
    // headless Chromium: `npm run test:e2e` (examples/stack builds or finds the stores itself).
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};

export default config;
