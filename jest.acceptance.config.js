/**
 * `npm run test:acceptance`: the opt-in acceptance suite against a real Huawei Cloud account
 * (tests/acceptance/README.md). Against a real account it never runs in `npm test` or CI: `*.acceptance.ts`
 * is outside the default testMatch, and the suite skips itself, saying why, when its environment is
 * absent or CI is set. Its steps do run in every `npm test`, against the emulator
 * (tests/acceptance/rehearsal.test.ts).
 */
const base = require("./jest.config.js");
module.exports = { ...base, testMatch: ["**/*.acceptance.ts"], testTimeout: 90 * 60 * 1000, maxWorkers: 1 };
