// How the shop prints its labels: one label per A6 page (a label printer) or four per A4 sheet from a start position
// (a half-used sticker sheet). The last choice is remembered per shop (shops.settings.labelPrint) and is where both
// print surfaces start: Zendingen's PDF dialog and the Shopify order print action.
import type { ShopSettings } from "./domain";

export type LabelPrintFormat = NonNullable<ShopSettings["labelPrint"]>;

export const DEFAULT_LABEL_PRINT: LabelPrintFormat = { format: "A6", start: 1 };

export function shopLabelPrintFormat(shop: { settings: ShopSettings | null | undefined }): LabelPrintFormat {
  return shop.settings?.labelPrint ?? DEFAULT_LABEL_PRINT;
}
