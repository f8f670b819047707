// Response builders in MyOnlineStore's two error shapes: the spec's `Error {code, message, description}` (legacy v1
// endpoints: orders, orderstatuses, authentication) and RFC 7807 `ApiProblem {type, title, detail, status}` (the
// newer payment endpoints, whose 422s the spec documents as "RFC7807 Problem Details", and the rate limiter).
import type { FakeMwwResponse, MwwErrorBody, MwwProblemBody } from "./types";

export const JSON_TYPE = "application/json";
export const PROBLEM_TYPE = "application/problem+json";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};
export const titleOf = (status: number) => TITLES[status] ?? "Error";

/** `type` URIs as Symfony/API Platform style problem responses use them. */
const PROBLEM_TYPES: Record<number, string> = {
  404: "https://tools.ietf.org/html/rfc7231#section-6.5.4",
  422: "https://tools.ietf.org/html/rfc4918#section-11.2",
  429: "https://tools.ietf.org/html/rfc6585#section-4",
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeMwwResponse {
  return { status, headers: { "content-type": JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

/** Legacy Error body; `code` is the HTTP status (the spec calls it "unique error code"; its values are unpublished). */
export function mwwError(status: number, description: string): FakeMwwResponse {
  return json(status, { code: status, message: titleOf(status), description } satisfies MwwErrorBody);
}

export function problem(status: number, detail: string): FakeMwwResponse {
  const body: MwwProblemBody = { type: PROBLEM_TYPES[status] ?? "about:blank", title: titleOf(status), detail, status };
  return { status, headers: { "content-type": PROBLEM_TYPE }, body: JSON.stringify(body) };
}

export const badRequest = (description: string) => mwwError(400, description);
export const notFound = (description = "Resource not found") => mwwError(404, description);

export { isObj, parseJson } from "../shared/json";
