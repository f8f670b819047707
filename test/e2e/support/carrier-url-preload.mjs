// `node --import` preload for build/server.js in tests: points the carrier registry at the fake Boekuwzending named by
// KOPPEL_TEST_CARRIER_URL, through the registry's globalThis state (app/carriers/registry.server.ts), before the server
// loads. The production server has no setting for the carrier's URL, and should not get one for a test.
const url = process.env.KOPPEL_TEST_CARRIER_URL;
if (url) globalThis.__koppelCarrierRegistry = { options: { baseUrls: { staging: url, production: url } } };
