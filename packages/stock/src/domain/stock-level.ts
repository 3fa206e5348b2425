/** The units of one item: `available` can still be reserved, `reserved` are held for unpaid orders. Both >= 0. */
export interface StockLevel {
  readonly itemId: string;
  readonly available: number;
  readonly reserved: number;
}
