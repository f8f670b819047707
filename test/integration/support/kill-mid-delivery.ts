// Child process for the "worker killed mid-batch" test: a real process-delivery worker (registerWorkers) that claims
// the queued job and SIGKILLs itself while importing it — the job stays `active`, owned by a dead process.
import { getRuntime } from "../../../app/runtime.server";
import { registerWorkers } from "../../../app/jobs/workers.server";
import { shopifyAdapter } from "../../../app/platforms/registry.server";
import type { ShopPlatform } from "../../../app/core/ports";

const rt = await getRuntime({ workers: false });
const killedMidBatch: ShopPlatform = {
  ...shopifyAdapter(),
  async orderFromDelivery() {
    process.kill(process.pid, "SIGKILL");
    throw new Error("unreachable: the process should have been killed");
  },
};
await registerWorkers(rt.boss, { ...rt, platformFor: () => killedMidBatch }, { pollingIntervalSeconds: 0.5 });
// The worker polls; the kill ends this process. If no job comes, give up loudly.
setTimeout(() => {
  console.error("no process-delivery job was claimed");
  process.exit(3);
}, 60_000);
