export * from "./connect-mongo.js";
export * from "./duplicate-key.js";
export * from "./indexes.js";
export * from "./versioned-documents.js";
export * from "./open-repository.js";
export * from "./unavailable-errors.js";
