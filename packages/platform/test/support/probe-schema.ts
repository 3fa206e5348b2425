import { create, createFileRegistry, setExtension, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import {
  DescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldOptionsSchema,
  file_google_protobuf_duration,
  FileDescriptorProtoSchema,
  MessageOptionsSchema,
} from "@bufbuild/protobuf/wkt";
import { field as fieldRules, FieldRulesSchema, file_buf_validate_validate, message as messageRules, MessageRulesSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";

/** The probe's fields: one of each kind the request rules meet, and a uint32 the compiled subset leaves to protovalidate. */
export const probeFields = {
  text: FieldDescriptorProto_Type.STRING,
  count: FieldDescriptorProto_Type.INT32,
  big: FieldDescriptorProto_Type.INT64,
  rate: FieldDescriptorProto_Type.DOUBLE,
  flag: FieldDescriptorProto_Type.BOOL,
  color: FieldDescriptorProto_Type.ENUM,
  delay: FieldDescriptorProto_Type.MESSAGE,
  unsigned: FieldDescriptorProto_Type.UINT32,
  tags: FieldDescriptorProto_Type.STRING,
} as const;

export type ProbeField = keyof typeof probeFields;

let made = 0;

/**
 * A message type `Probe` made at run time (no generated code) whose field
 * `on` carries the given `(buf.validate.field)` rules, and optionally
 * `(buf.validate.message)` rules: rules the contracts do not have, for
 * testing the compiled subset against protovalidate beyond them.
 */
export function probeSchema(on: ProbeField, rules: MessageInitShape<typeof FieldRulesSchema>, message?: MessageInitShape<typeof MessageRulesSchema>): DescMessage {
  const name = `probe${String(made++)}`;
  const fields = Object.entries(probeFields).map(([fieldName, type], index) => {
    const options = create(FieldOptionsSchema);
    if (fieldName === on) setExtension(options, fieldRules, create(FieldRulesSchema, rules));
    const typeName = fieldName === "color" ? `.${name}.Color` : fieldName === "delay" ? ".google.protobuf.Duration" : undefined;
    const label = fieldName === "tags" ? FieldDescriptorProto_Label.REPEATED : FieldDescriptorProto_Label.OPTIONAL;
    return { name: fieldName, number: index + 1, type, label, typeName, jsonName: fieldName, options };
  });
  const messageOptions = create(MessageOptionsSchema);
  if (message !== undefined) setExtension(messageOptions, messageRules, create(MessageRulesSchema, message));
  const file = create(FileDescriptorProtoSchema, {
    name: `${name}.proto`,
    package: name,
    syntax: "proto3",
    dependency: ["buf/validate/validate.proto", "google/protobuf/duration.proto"],
    enumType: [{ name: "Color", value: [{ name: "COLOR_UNSPECIFIED", number: 0 }, { name: "COLOR_RED", number: 1 }, { name: "COLOR_BLUE", number: 2 }] }],
    messageType: [create(DescriptorProtoSchema, { name: "Probe", field: fields, options: messageOptions })],
  });
  const dependencies = [file_buf_validate_validate, file_google_protobuf_duration];
  const registry = createFileRegistry(file, (dependency) => dependencies.find((candidate) => candidate.proto.name === dependency));
  const schema = registry.getMessage(`${name}.Probe`);
  if (schema === undefined) throw new Error("the probe message was not made");
  return schema;
}
