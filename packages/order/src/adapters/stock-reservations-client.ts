import { Code, createClient, type Client, type Transport } from "@connectrpc/connect";
import { InsufficientStockSchema, StockService } from "@oms/contracts/stock/v1/stock";
import { PreconditionError } from "@oms/platform/errors";
import type { ReservationLine, StockReservations } from "../app/ports.js";
import { peerFailure } from "./peer-errors.js";

/** StockReservations over the stock service's Connect API (transport: `peerTransport(registry, "stock")`). */
export class StockReservationsClient implements StockReservations {
  private readonly client: Client<typeof StockService>;

  constructor(transport: Transport) {
    this.client = createClient(StockService, transport);
  }

  async reserve(orderId: string, lines: readonly ReservationLine[]): Promise<void> {
    try {
      await this.client.reserveItems({ orderId, lines: lines.map((line) => ({ itemId: line.itemId, quantity: line.quantity })) });
    } catch (error) {
      throw peerFailure("stock", error, (connectError) => {
        // Not enough stock (or an item stock does not carry): pass stock's message on, it names the items short.
        if (connectError.code !== Code.FailedPrecondition && connectError.code !== Code.NotFound) return undefined;
        const [shortages] = connectError.findDetails(InsufficientStockSchema);
        return new PreconditionError(connectError.rawMessage, shortages);
      });
    }
  }

  async release(orderId: string): Promise<void> {
    try {
      await this.client.releaseReservation({ orderId });
    } catch (error) {
      throw peerFailure("stock", error);
    }
  }
}
