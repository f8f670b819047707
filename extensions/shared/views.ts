// The shapes Koppel's extension routes answer (app/extension-views.server.ts).
export type Reason = { text: string; detail: string | null };

export type OrderView = {
  order: {
    number: string;
    status: "to_ship" | "shipped" | "cancelled" | "refunded" | "fulfilled_elsewhere" | "unpaid";
    removed: boolean;
    customerName: string;
    shipTo: { name: string; line: string; postcode: string; city: string; country: string } | null;
    addressCorrected: boolean;
    missingAddress: string[];
    weightGrams: number;
  };
  carrier: {
    environment: "staging" | "production";
    services: { code: string; description: string }[];
    defaultService: string | null;
    defaultPackageType: string;
  } | null;
  /** The shop's shipping rules' choice for this order (rule null = the carrier's defaults); skip = no label by rule. */
  rules: {
    group: string;
    rule: string | null;
    skip: boolean;
    service: string | null;
    packageType: string | null;
    colli: number | null;
    dimensions: { lengthCm: number; widthCm: number; heightCm: number } | null;
    /** The carrier's price of this choice (asked with prices=1 only). */
    price: { amount: number; currency: string } | null;
  } | null;
  fromAddress: boolean;
  packageTypes: { value: string; label: string }[];
  maxColli: number;
  label: {
    state: "queued" | "sending" | "created" | "failed" | "rejected";
    attempts: number;
    failure: { retrying: boolean; text: string; detail: string | null } | null;
    trackingNumber: string | null;
    trackingUrl: string | null;
    writeback: { state: "pending" | "done" | "failed" | "not_needed"; reason: Reason | null } | null;
    pdfUrl: string | null;
  } | null;
};

export type LabelPrintFormat = { format: "A6" | "A4"; start: 1 | 2 | 3 | 4 };

export type PrintView = {
  format: LabelPrintFormat;
  src: string | null;
  printed: string[];
  missing: { id: string; number: string | null; why: "not_in_koppel" | "no_label" | "label_pending" | "label_failed" }[];
};

/** A label request the carrier is still working on (the extension keeps asking). */
export function labelInProgress(view: OrderView): boolean {
  return view.label?.state === "queued" || view.label?.state === "sending";
}
