// Any other path under /app: a Koppel 404 page inside the app's layout (navigation, the merchant's language), not a
// bare "404 Not Found".
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMerchant } from "~/merchant.server";
import { RouteErrorContent } from "~/components/RouteErrorContent";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireMerchant(request);
  throw new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export default function UnknownAppPath() {
  return null;
}

export function ErrorBoundary() {
  return <RouteErrorContent />;
}
