import type { PriceBook } from './plans';

/** The currency of every price and invoice (micro-units: 1/1,000,000 of it). */
export const CURRENCY = 'USD';

/** One priced line: a kind's quantity times its unit price, in micro-units (integers: no rounding anywhere). */
export interface CostLine {
  kind: string;
  quantity: string;
  unitPriceMicros: number;
  amountMicros: string;
}

export interface Cost {
  currency: string;
  lines: CostLine[];
  totalMicros: string;
}

/**
 * Prices quantities per kind. Pricing is linear per metered unit with integer prices, so the cost
 * of a sum is the sum of the costs: per-run costs add up exactly to an invoice built from the
 * daily aggregates. A kind without a price costs 0.
 */
export function priceQuantities(quantities: Readonly<Record<string, bigint>>, prices: PriceBook): Cost {
  let total = 0n;
  const lines: CostLine[] = [];
  for (const kind of Object.keys(quantities).sort()) {
    const quantity = quantities[kind]!;
    const unit = prices[kind] ?? 0;
    const amount = quantity * BigInt(unit);
    total += amount;
    lines.push({ kind, quantity: quantity.toString(), unitPriceMicros: unit, amountMicros: amount.toString() });
  }
  return { currency: CURRENCY, lines, totalMicros: total.toString() };
}
