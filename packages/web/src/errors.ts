import { Code, ConnectError } from "@connectrpc/connect";
import { InsufficientStockSchema } from "@oms/contracts/stock/v1/stock";

/** Dish names by item id, to name dishes where the services name ids. */
export type DishNames = ReadonlyMap<string, string>;

/**
 * A failed call in words a person can act on. Connect codes map to what
 * happened; "not enough stock" names the dishes (from the structured detail
 * when there is one, else the ids in the message), never an item id.
 */
export function describeError(error: unknown, dishes: DishNames = new Map()): string {
  const connect = ConnectError.from(error);
  const name = (id: string) => dishes.get(id) ?? "a dish";
  switch (connect.code) {
    case Code.FailedPrecondition: {
      const [stock] = connect.findDetails(InsufficientStockSchema);
      if (stock) return `Sorry, not enough stock: ${stock.shortages.map((shortage) => `${name(shortage.itemId)} (${shortage.available} left)`).join(", ")}.`;
      if (connect.rawMessage.startsWith("not enough stock")) {
        const short = [...connect.rawMessage.matchAll(/([0-9A-Z]{26}) \(requested (\d+), available (\d+)\)/g)];
        return `Sorry, not enough stock: ${short.map(([, id, , available]) => `${name(id!)} (${available} left)`).join(", ")}.`;
      }
      return `That cannot be done now: ${connect.rawMessage}.`;
    }
    case Code.InvalidArgument:
      return `Something in the request is not right: ${connect.rawMessage}.`;
    case Code.NotFound:
      return "Not found: it does not exist, or it is not yours.";
    case Code.Unauthenticated:
      return "Your sign-in has expired or is missing: sign in again.";
    case Code.PermissionDenied:
      return "This needs a staff sign-in.";
    case Code.Unavailable:
    case Code.DeadlineExceeded:
      return "The service is not reachable right now; try again in a moment.";
    case Code.ResourceExhausted:
      return `Too busy right now: ${connect.rawMessage}.`;
    case Code.AlreadyExists:
      return `That was already done differently: ${connect.rawMessage}.`;
    default:
      return `Something went wrong (${Code[connect.code]}): ${connect.rawMessage}.`;
  }
}
