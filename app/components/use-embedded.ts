// Whether the page runs inside Shopify's admin (App Bridge present): the app layout's loader says so.
import { useRouteLoaderData } from "@remix-run/react";
import type { AppLayoutData } from "~/routes/app";

export function useEmbedded(): boolean {
  return (useRouteLoaderData("routes/app") as AppLayoutData | undefined)?.embedded ?? false;
}
