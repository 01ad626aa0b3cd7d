/**
 * Preloaded (node --require) into a dynamic-provider host by the reliability matrix: the provider
 * offers no setting for the HTTP client's response timeout (60 s, fixed in getClient), so to test
 * "slow answer beyond the client timeout" in seconds this wraps getClient to pass
 * `timeoutMs: RELIABILITY_CLIENT_TIMEOUT_MS`. Test-only; nothing else is changed.
 */
"use strict";
const path = require("path");
const client = require(path.resolve(__dirname, "..", "..", "dist", "provider", "client", "index.js"));
const timeoutMs = Number(process.env.RELIABILITY_CLIENT_TIMEOUT_MS);
if (Number.isFinite(timeoutMs) && timeoutMs > 0) {
    const original = client.getClient;
    client.getClient = (config, options) => original(config, { timeoutMs, ...(options || {}) });
}
