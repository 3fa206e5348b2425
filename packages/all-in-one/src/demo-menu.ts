/**
 * The demo menu and opening stock the embedded mode seeds at first start.
 * Fixed ids so the README's curl lines work as written; never seeded in production.
 */
export interface DemoDish {
  id: string;
  name: string;
  description: string;
  priceMinor: number;
  stock: number;
}

export const demoCurrency = "EUR";

export const demoDishes: readonly DemoDish[] = [
  { id: "01KDVDNA008K7ESVVT02SXGT1B", name: "Margherita", description: "Tomato, mozzarella, basil", priceMinor: 950, stock: 50 },
  { id: "01KDVDNAZ87F0ZJYN2JEJ9GFY7", name: "Diavola", description: "Tomato, mozzarella, spicy salami", priceMinor: 1150, stock: 40 },
  { id: "01KDVDNBYGJDB1YRSZQ8DAD3XQ", name: "Quattro Formaggi", description: "Four cheeses, no tomato", priceMinor: 1250, stock: 30 },
  { id: "01KDVDNCXRKXNA90ZA4K1KVHE6", name: "Caesar Salad", description: "Romaine, parmesan, croutons, anchovy dressing", priceMinor: 890, stock: 25 },
  { id: "01KDVDNDX0QQ33HP7FWAZ17BZ4", name: "Minestrone", description: "Vegetable soup with beans and pasta", priceMinor: 650, stock: 30 },
  { id: "01KDVDNEW8ZR9BA6AJ6KFMSSQQ", name: "Lasagne", description: "Beef ragù, béchamel, baked", priceMinor: 1390, stock: 20 },
  { id: "01KDVDNFVG5BJEE84P25N133HZ", name: "Risotto ai Funghi", description: "Carnaroli rice, porcini, parmesan", priceMinor: 1450, stock: 15 },
  { id: "01KDVDNGTRDAQ30C5TRS7XQ4RY", name: "Tiramisu", description: "Mascarpone, espresso, cocoa", priceMinor: 590, stock: 30 },
  { id: "01KDVDNHT03N6WT3GTM6X8MC85", name: "Panna Cotta", description: "Vanilla cream, berry coulis", priceMinor: 550, stock: 25 },
  { id: "01KDVDNJS8YKHBMJX9HAV3X8KD", name: "Espresso", description: "A single shot", priceMinor: 250, stock: 200 },
  { id: "01KDVDNKRGBF6Y2H695J5WMMV8", name: "Lemonade", description: "Fresh lemons, mint, sparkling water", priceMinor: 390, stock: 100 },
  { id: "01KDVDNMQRMMGZGECVJ7GR6YG4", name: "Truffle Fries", description: "Seasonal, while the truffles last", priceMinor: 790, stock: 5 },
];
