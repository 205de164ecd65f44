// ESM project: NestJS 12 is ESM-only, and Jest can load it only through
// --experimental-vm-modules (set by the npm scripts) with ts-jest's ESM preset.
const shared = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false, ignoreCodes: [151002] } }],
  },
};

// Medium and e2e share one test PostgreSQL server (global-setup.js starts it once).
const database = { globalSetup: '<rootDir>/test/global-setup.js', globalTeardown: '<rootDir>/test/global-teardown.js' };

export default {
  // Per-project testTimeout is ignored by Jest; e2e tests start servers and databases.
  testTimeout: 60000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.unit-spec.ts'] },
    // Medium: services driven with an explicit clock on a real database (test/medium).
    { ...shared, displayName: 'medium', testMatch: ['<rootDir>/test/**/*.medium-spec.ts'], ...database },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], ...database },
  ],
};
