import type { CommandStartedEvent, Document, MongoClient } from "mongodb";

/**
 * Whether every query a MongoDB adapter sends would be served by an index it
 * declares, as an index-backed MongoDB would serve it: FerretDB scans every
 * collection whatever its indexes (FERRETDB-NOTES.md), so tests cannot see a
 * missing index by its cost and check the queries' shape instead.
 *
 * A query is served when it looks a document up by `_id`, or when its
 * equality fields (a value, `$eq`, `$in`), then its sort fields, then its
 * range fields (`$gt`, `$gte`, `$lt`, `$lte`, `$exists: true`) are a prefix
 * of one declared index, the sort all in the index's direction or all
 * against it. Conditions no index bounds (`$ne`, `$nin`, `$regex`, ...) may
 * ride along: they filter what the index found. A sparse index serves only
 * queries that require its first field. A query with no condition and no
 * sort is fine when it returns what it reads: a `find` of every document or
 * of the first few, never an aggregate summing them all up.
 */

/** One command as the driver's command monitoring reports it. */
export type RecordedCommand = Pick<CommandStartedEvent, "commandName" | "command" | "databaseName">;

interface Query {
  what: string;
  filter: Document;
  sort: Array<[field: string, direction: number]>;
  limited: boolean;
}

type IndexKey = Array<[field: string, direction: number]>;
interface DeclaredIndex {
  key: IndexKey;
  sparse: boolean;
}

/** The index every collection has. */
const idIndex: DeclaredIndex = { key: [["_id", 1]], sparse: false };

/** Every command the client sends from now on; `unserved()` lists the queries no declared index serves. */
export function recordIndexUse(client: MongoClient): { commands: RecordedCommand[]; unserved(): string[] } {
  const commands: RecordedCommand[] = [];
  client.on("commandStarted", (event: CommandStartedEvent) => {
    commands.push({ commandName: event.commandName, command: event.command, databaseName: event.databaseName });
  });
  return { commands, unserved: () => unservedQueries(commands) };
}

/** The queries among `commands` that no index declared by their `createIndexes` commands (or `_id`'s) serves, one line each. */
export function unservedQueries(commands: readonly RecordedCommand[]): string[] {
  const declared = new Map<string, DeclaredIndex[]>();
  const unserved: string[] = [];
  for (const { commandName, command, databaseName } of commands) {
    const collection: unknown = command[commandName];
    if (typeof collection !== "string") continue;
    const namespace = `${databaseName}.${collection}`;
    if (commandName === "createIndexes") {
      const indexes = declared.get(namespace) ?? [idIndex];
      for (const index of command.indexes as Document[]) indexes.push({ key: entries(index.key), sparse: index.sparse === true });
      declared.set(namespace, indexes);
      continue;
    }
    for (const query of queriesOf(commandName, command)) {
      if (!isServed(query, declared.get(namespace) ?? [idIndex])) {
        unserved.push(`${query.what} on ${namespace}: filter ${JSON.stringify(query.filter)} sort ${JSON.stringify(Object.fromEntries(query.sort))}`);
      }
    }
  }
  return unserved;
}

/** The filters (with sorts) a command runs; none for commands that do not search. */
function queriesOf(name: string, command: Document): Query[] {
  const query = (filter: unknown, sort?: unknown, limit?: unknown): Query => ({ what: name, filter: (filter as Document | undefined) ?? {}, sort: entries(sort), limited: typeof limit === "number" && limit > 0 });
  switch (name) {
    case "find":
      return [query(command.filter, command.sort, command.limit)];
    case "findAndModify":
      return [query(command.query, command.sort)];
    case "update":
      return (command.updates as Document[]).map((update) => query(update.q, undefined, update.multi ? 0 : 1));
    case "delete":
      return (command.deletes as Document[]).map((deletion) => query(deletion.q, undefined, deletion.limit));
    case "count":
      // Without a query the server answers from the collection's size.
      return command.query && Object.keys(command.query as Document).length > 0 ? [query(command.query)] : [];
    case "distinct":
      return [query(command.query)];
    case "aggregate": {
      const [first, second] = command.pipeline as Document[];
      const match = first?.$match as Document | undefined;
      return [query(match, match ? second?.$sort : undefined)];
    }
    default:
      return [];
  }
}

interface Shape {
  equal: Map<string, unknown>;
  range: Set<string>;
}

function isServed(query: Query, indexes: readonly DeclaredIndex[]): boolean {
  const { $or: branches, ...rest } = query.filter;
  if (Array.isArray(branches)) return (branches as Document[]).every((branch) => isServed({ ...query, filter: { ...rest, ...branch } }, indexes));
  const shape = shapeOf(query.filter);
  const sort = query.sort.filter(([field]) => !shape.equal.has(field));
  if (shape.equal.has("_id")) return true;
  if (shape.equal.size === 0 && shape.range.size === 0 && sort.length === 0) return Object.keys(query.filter).length === 0 && (query.limited || query.what === "find");
  return indexes.some((index) => isPrefix(index, shape, sort));
}

/** Equality, then sort, then range fields in the index's order, from its first field on. */
function isPrefix(index: DeclaredIndex, shape: Shape, sort: Array<[string, number]>): boolean {
  const keys = index.key;
  const [first] = keys[0] ?? [];
  if (index.sparse && !(first !== undefined && (shape.range.has(first) || (shape.equal.has(first) && shape.equal.get(first) !== null)))) return false;
  let at = 0;
  while (at < keys.length && shape.equal.has(keys[at]![0])) at++;
  if (at < shape.equal.size) return false;
  const directions = new Set<number>();
  for (const [field, direction] of sort) {
    const key = keys[at++];
    if (key?.[0] !== field) return false;
    directions.add(Math.sign(key[1]) * Math.sign(direction));
  }
  if (directions.size > 1) return false;
  const ranges = [...shape.range].filter((field) => !sort.some(([sorted]) => sorted === field));
  const next = new Set(keys.slice(at, at + ranges.length).map(([field]) => field));
  return ranges.every((field) => next.has(field));
}

const rangeOperators = new Set(["$gt", "$gte", "$lt", "$lte"]);

/** Which fields a filter pins to values and which to ranges (`$and` flattened; other conditions are left out). */
function shapeOf(filter: Document, shape: Shape = { equal: new Map(), range: new Set() }): Shape {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === "$and") {
      for (const part of condition as Document[]) shapeOf(part, shape);
      continue;
    }
    if (field.startsWith("$")) continue;
    const operators = isOperatorObject(condition) ? Object.keys(condition) : undefined;
    if (!operators || operators.includes("$eq") || operators.includes("$in")) shape.equal.set(field, operators ? "" : condition);
    else if (operators.some((operator) => rangeOperators.has(operator) || (operator === "$exists" && (condition as Document).$exists === true))) shape.range.add(field);
  }
  return shape;
}

/** The fields of an index key or a sort in order: the driver sends both as Maps. */
function entries(value: unknown): Array<[string, number]> {
  if (value instanceof Map) return [...(value as Map<string, number>)];
  return value && typeof value === "object" ? Object.entries(value as Record<string, number>) : [];
}

function isOperatorObject(value: unknown): value is Document {
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof Date) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith("$"));
}
