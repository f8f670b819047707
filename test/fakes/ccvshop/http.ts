// Response builders in CCV's shapes: JSON bodies and the {code, status, developermessage} error body.
import type { CcvErrorBody, FakeCcvResponse } from "./types";

export const JSON_TYPE = "application/json";
export const VERTO_TYPE = "application/vnd.verto.webshop+json";

export function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeCcvResponse {
  return { status, headers: { "content-type": JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

export function noContent(headers: Record<string, string> = {}): FakeCcvResponse {
  return { status: 204, headers, body: "" };
}

export function ccvError(status: number, code: string, developermessage: string): FakeCcvResponse {
  return json(status, { code, status, developermessage } satisfies CcvErrorBody);
}

export const badRequest = (message: string) => ccvError(400, "400.10", message);
export const notFound = (message = "Invalid resource") => ccvError(404, "404.20", message);
export const methodNotAllowed = (method: string) => ccvError(405, "405.10", `Method ${method} not allowed on this resource`);

export { isObj, parseJson } from "../shared/json";
