// server.ts, with the carrier pointed at the bench's fake Boekuwzending (BENCH_CARRIER_URL). The carrier registry reads
// no environment on purpose, so the memory benchmark sets it here before the production server starts.
import { configureCarrierBaseUrls } from "../../app/carriers/registry.server";

const url = process.env.BENCH_CARRIER_URL;
if (!url) throw new Error("BENCH_CARRIER_URL is not set");
configureCarrierBaseUrls({ staging: url, production: url });
await import("../../server");
