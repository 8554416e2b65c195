/**
 * @fileoverview The protocol buffers of a TensorBoard event file, as TensorBoard's own
 * `event.proto`, `summary.proto` and `tensor.proto` declare them (the fields Trainyard writes;
 * field numbers are the contract), encoded and decoded by protobufjs from this schema text.
 *
 *   encodeEvent({ wall_time: 1.7e9, step: 12, summary: { value: [{ tag: 'loss', simple_value: 2.5 }] } })
 */
import protobuf from 'protobufjs';

const SCHEMA = `
syntax = "proto3";
package tensorboard;

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    Summary summary = 5;
  }
}

message Summary {
  message Value {
    string tag = 1;
    SummaryMetadata metadata = 9;
    oneof value {
      float simple_value = 2;
      TensorProto tensor = 8;
    }
  }
  repeated Value value = 1;
}

message SummaryMetadata {
  message PluginData {
    string plugin_name = 1;
    bytes content = 2;
  }
  PluginData plugin_data = 1;
  string display_name = 2;
  string summary_description = 3;
  int32 data_class = 4;
}

message TensorShapeProto {
  message Dim { int64 size = 1; string name = 2; }
  repeated Dim dim = 2;
}

message TensorProto {
  int32 dtype = 1;
  TensorShapeProto tensor_shape = 2;
  repeated bytes string_val = 8;
}
`;

/** tensorflow DataType DT_STRING. */
export const DT_STRING = 7;
/** SummaryMetadata.DataClass DATA_CLASS_TENSOR (what the text plugin's series are). */
export const DATA_CLASS_TENSOR = 2;
/** What the first event of a file says (TensorFlow's writers since 2016). */
export const FILE_VERSION = 'brain.Event:2';

export interface SummaryValue {
  tag: string;
  simple_value?: number;
  metadata?: { plugin_data?: { plugin_name: string; content?: Uint8Array }; display_name?: string; summary_description?: string; data_class?: number };
  tensor?: { dtype: number; tensor_shape?: { dim?: Array<{ size: number }> }; string_val?: Uint8Array[] };
}

export interface TbEvent {
  /** Seconds since the epoch. */
  wall_time: number;
  step: number;
  file_version?: string;
  summary?: { value: SummaryValue[] };
}

const EventType = protobuf.parse(SCHEMA, { keepCase: true }).root.lookupType('tensorboard.Event');

/** The Event message's bytes. */
export function encodeEvent(e: TbEvent): Uint8Array {
  return EventType.encode(EventType.fromObject(e)).finish();
}

/** Decodes an Event message (int64 steps as numbers; absent numeric fields as 0). */
export function decodeEvent(bytes: Uint8Array): TbEvent {
  const o = EventType.toObject(EventType.decode(bytes), { longs: Number }) as Partial<TbEvent>;
  return { ...o, wall_time: o.wall_time ?? 0, step: o.step ?? 0 } as TbEvent;
}
