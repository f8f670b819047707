// Entry of `npm run koppel -- <command>`; the commands live in cli.ts.
import { database } from "../db.server";
import { runCli, UsageError, USAGE } from "./cli";

async function shutdown() {
  // `label` starts the runtime (pg-boss workers) in this process: stop it before the database goes.
  if (globalThis.__koppelRuntime) await (await globalThis.__koppelRuntime).stop().catch(() => {});
  await database.close().catch(() => {});
}

runCli(process.argv.slice(2))
  .then(async (code) => {
    await shutdown();
    process.exit(code);
  })
  .catch(async (e) => {
    console.error(e instanceof UsageError ? `${e.message}\n\n${USAGE}` : `Error: ${(e as Error).message}`);
    await shutdown();
    process.exit(e instanceof UsageError ? 2 : 1);
  });
