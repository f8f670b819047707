// Entry of `npm run koppel -- <command>`; the commands live in cli.ts.
import { database } from "../db.server";
import { runCli, UsageError, USAGE } from "./cli";

runCli(process.argv.slice(2))
  .then(async (code) => {
    await database.close();
    process.exit(code);
  })
  .catch(async (e) => {
    console.error(e instanceof UsageError ? `${e.message}\n\n${USAGE}` : `Error: ${(e as Error).message}`);
    await database.close().catch(() => {});
    process.exit(e instanceof UsageError ? 2 : 1);
  });
