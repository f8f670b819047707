// public/: the favicon and the app icon (scripts/make-icons.ts) served with a long cache, Remix's fingerprinted build
// for a year and immutable, and anything that is no file left to the app (Remix).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_MAX_AGE_SECONDS, serveStaticFiles } from "../../server-app";

const publicDir = path.resolve(import.meta.dirname, "../../public");
let base: string;
let close: () => Promise<void>;
let tmp: string;

beforeAll(async () => {
  // The real public/ plus a stand-in for Remix's build output (public/build is made by `remix build`).
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "koppel-public-"));
  fs.cpSync(publicDir, tmp, { recursive: true, filter: (src) => !src.startsWith(path.join(publicDir, "build")) });
  fs.mkdirSync(path.join(tmp, "build"));
  fs.writeFileSync(path.join(tmp, "build", "entry.client-ABC123.js"), "export {};\n");
  const app = express();
  serveStaticFiles(app, tmp);
  app.use((_req, res) => void res.status(404).send("to Remix"));
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("public/", () => {
  it("serves the favicon and app icons with a month's cache", async () => {
    for (const [file, type] of [
      ["/favicon.ico", /^image\/(x-icon|vnd\.microsoft\.icon)/],
      ["/favicon.svg", /^image\/svg\+xml/],
      ["/icon.svg", /^image\/svg\+xml/],
      ["/app-icon.png", /^image\/png/],
      ["/apple-touch-icon.png", /^image\/png/],
    ] as const) {
      const r = await fetch(base + file);
      expect(r.status, file).toBe(200);
      expect(r.headers.get("content-type"), file).toMatch(type);
      expect(r.headers.get("cache-control"), file).toBe(`public, max-age=${PUBLIC_MAX_AGE_SECONDS}`);
      expect(PUBLIC_MAX_AGE_SECONDS).toBeGreaterThanOrEqual(7 * 24 * 3600);
    }
  });

  it("the app icon is a 1200×1200 PNG and the favicon an ICO of 32 and 16 pixels", async () => {
    const png = Buffer.from(await (await fetch(`${base}/app-icon.png`)).arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 1200]);
    const ico = Buffer.from(await (await fetch(`${base}/favicon.ico`)).arrayBuffer());
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 2]);
    expect([ico[6], ico[22]]).toEqual([32, 16]);
  });

  it("Remix's fingerprinted build is cached for a year, immutable; a path that is no file goes on to the app", async () => {
    const built = await fetch(`${base}/build/entry.client-ABC123.js`);
    expect(built.status).toBe(200);
    expect(built.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const other = await fetch(`${base}/app`);
    expect(other.status).toBe(404);
    expect(await other.text()).toBe("to Remix");
  });
});
