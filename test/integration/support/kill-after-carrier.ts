// Child process for the "worker killed" test: runs one create-label job and SIGKILLs itself the moment the carrier has
// answered — after the label was bought, before Koppel could store it. Usage: <carrier base URL> <label request id>
import { carrierFor, configureCarrierBaseUrls } from "../../../app/carriers/registry.server";
import { getRuntime, labelDeps } from "../../../app/runtime.server";
import { processLabelRequest } from "../../../app/core/labels/label-job.server";
import type { Carrier } from "../../../app/core/ports";

const [baseUrl, requestId] = process.argv.slice(2);
configureCarrierBaseUrls({ staging: baseUrl!, production: baseUrl! });
const rt = await getRuntime({ workers: false });
const real = carrierFor("boekuwzending");
const killedAfterAnswer: Carrier = {
  ...real,
  async createShipment(creds, request) {
    await real.createShipment(creds, request);
    process.kill(process.pid, "SIGKILL");
    return new Promise(() => {});
  },
};
await processLabelRequest({ ...labelDeps(rt), carrierFor: () => killedAfterAnswer }, Number(requestId));
console.error("unreachable: the process should have been killed");
process.exit(3);
