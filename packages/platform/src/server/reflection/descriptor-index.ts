import { toBinary, type DescFile, type DescService } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";

/**
 * Every proto file reachable from a set of services, indexed the way gRPC
 * reflection asks: by file name, by fully-qualified symbol (messages, nested
 * types, enums, extensions, services, `Service.Method`) and by extension.
 * Built once from the descriptors the generated code embeds.
 */
export class DescriptorIndex {
  readonly serviceNames: readonly string[];
  private readonly files = new Map<string, DescFile>();
  private readonly symbols = new Map<string, DescFile>();
  private readonly extensions = new Map<string, Map<number, DescFile>>();
  private readonly encoded = new Map<DescFile, Uint8Array>();

  constructor(services: readonly DescService[]) {
    this.serviceNames = [...new Set(services.map((service) => service.typeName))].sort();
    for (const service of services) this.addFile(service.file);
  }

  /** The file with this name and everything it imports, dependencies first; undefined when unknown. */
  fileByName(name: string): Uint8Array[] | undefined {
    const file = this.files.get(name);
    return file && this.withDependencies(file);
  }

  /** The file declaring this fully-qualified symbol and its dependencies; undefined when unknown. */
  fileContainingSymbol(symbol: string): Uint8Array[] | undefined {
    const file = this.symbols.get(symbol.replace(/^\./, ""));
    return file && this.withDependencies(file);
  }

  /** The file declaring extension `number` of message `typeName` and its dependencies; undefined when unknown. */
  fileContainingExtension(typeName: string, number: number): Uint8Array[] | undefined {
    const file = this.extensions.get(typeName)?.get(number);
    return file && this.withDependencies(file);
  }

  /** The extension numbers known for message `typeName`; undefined when the type is unknown. */
  extensionNumbers(typeName: string): number[] | undefined {
    if (!this.symbols.has(typeName)) return undefined;
    return [...(this.extensions.get(typeName)?.keys() ?? [])].sort((a, b) => a - b);
  }

  private addFile(file: DescFile): void {
    if (this.files.has(file.proto.name)) return;
    this.files.set(file.proto.name, file);
    for (const type of nestedTypes(file)) {
      this.symbols.set(type.typeName, file);
      if (type.kind === "service") {
        for (const method of type.methods) this.symbols.set(`${type.typeName}.${method.name}`, file);
      }
      if (type.kind === "extension") {
        const byNumber = this.extensions.get(type.extendee.typeName) ?? new Map<number, DescFile>();
        byNumber.set(type.number, file);
        this.extensions.set(type.extendee.typeName, byNumber);
      }
    }
    for (const dependency of file.dependencies) this.addFile(dependency);
  }

  private withDependencies(file: DescFile): Uint8Array[] {
    const ordered: DescFile[] = [];
    const seen = new Set<DescFile>();
    const visit = (current: DescFile) => {
      if (seen.has(current)) return;
      seen.add(current);
      for (const dependency of current.dependencies) visit(dependency);
      ordered.push(current);
    };
    visit(file);
    return ordered.map((current) => this.encode(current));
  }

  private encode(file: DescFile): Uint8Array {
    let bytes = this.encoded.get(file);
    if (!bytes) {
      bytes = toBinary(FileDescriptorProtoSchema, file.proto);
      this.encoded.set(file, bytes);
    }
    return bytes;
  }
}
