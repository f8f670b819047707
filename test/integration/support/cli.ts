// Runs the operator CLI in this process and keeps what it prints (one line per console.log).
import { vi } from "vitest";
import { runCli } from "../../../app/cli/cli";

export async function captureCli(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
  try {
    return { code: await runCli(args), lines };
  } finally {
    spy.mockRestore();
  }
}

/** captureCli for `--json` commands: each printed line parsed as one object. */
export async function captureCliJson(args: string[]): Promise<{ code: number; rows: Record<string, unknown>[] }> {
  const { code, lines } = await captureCli(args);
  return { code, rows: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
