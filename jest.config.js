/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // Type-checking is done once by `npm run typecheck`; here we only transpile, which is much faster.
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  testTimeout: 60000,
  maxWorkers: 2,
  // The suite-wide secret scan (tests/harness/secretScan.ts).
  globalSetup: "<rootDir>/tests/harness/globalSetup.ts",
  globalTeardown: "<rootDir>/tests/harness/globalTeardown.ts",
};
