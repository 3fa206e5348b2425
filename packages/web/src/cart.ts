import { useCallback, useState } from "react";

/** Quantities by item id; what the customer is about to order. */
export type Cart = ReadonlyMap<string, number>;

/** The most of one dish per order the order service accepts. */
export const maxQuantity = 100;

export function useCart() {
  const [cart, setCart] = useState<Cart>(new Map());
  const change = useCallback((itemId: string, delta: number) => {
    setCart((current) => {
      const next = new Map(current);
      const quantity = Math.min(maxQuantity, (next.get(itemId) ?? 0) + delta);
      if (quantity <= 0) next.delete(itemId);
      else next.set(itemId, quantity);
      return next;
    });
  }, []);
  const clear = useCallback(() => setCart(new Map()), []);
  return { cart, change, clear };
}
