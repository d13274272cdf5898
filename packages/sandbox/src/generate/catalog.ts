/**
 * What the books sell and on which terms: service items (shared by both sides), the tax and discount items
 * and rates of NetSuite invoices, payment terms and invoice memos.
 */

/** `[itemId, description]`; NetSuite item internal IDs are the index + 1. */
export const SERVICE_ITEMS: readonly (readonly [string, string])[] = [
  ['Consulting', 'Consulting \u2014 senior engineer, hourly'],
  ['Implementation', 'Implementation services'],
  ['Support Plan', 'Premium support (monthly)'],
  ['Training', 'On-site training, per seat'],
  ['License - Annual', 'Annual license "Pro" tier'],
  ['Hosting', 'Hosting & bandwidth'],
];
export const TAX_ITEM_ID = String(SERVICE_ITEMS.length + 1);
export const DISCOUNT_ITEM_ID = String(SERVICE_ITEMS.length + 2);
/** An inventory item: NetSuite adds COGS lines (quantity × average cost) to the invoices that sell it. */
export const INVENTORY_ITEM = { id: String(SERVICE_ITEMS.length + 3), itemId: 'Widget Kit', description: 'Widget kit (stocked)', averageCost: '12.50' } as const;
export const TAX_BASIS_POINTS = [500, 725, 825, 2000];
export const DISCOUNT_BASIS_POINTS = [500, 1000, 1250, 1500];
/** Days from an invoice's date to its due date. */
export const TERMS_DAYS = [15, 30, 45, 60];
export const MEMOS = ['PO 4471', 'Q3 retainer', 'Rush order \u2014 "expedite"', "Per Mike's email", 'Net 30; ref #A-19'];
