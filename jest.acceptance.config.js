/**
 * `npm run test:acceptance`: the opt-in acceptance suite against a real Huawei Cloud account
 * (tests/acceptance/README.md). Never part of `npm test` or CI: `*.acceptance.ts` is outside the
 * default testMatch, and the suite skips itself, saying why, when its environment is absent or CI is set.
 */
const base = require("./jest.config.js");
module.exports = { ...base, testMatch: ["**/*.acceptance.ts"], testTimeout: 90 * 60 * 1000, maxWorkers: 1 };
