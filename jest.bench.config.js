/** `npm run bench`: the long measurements, kept out of the test suite. */
const base = require("./jest.config.js");
module.exports = { ...base, testMatch: ["**/*.bench.ts"], testTimeout: 20 * 60 * 1000, maxWorkers: 1 };
