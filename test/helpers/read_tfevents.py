#!/usr/bin/env python3
"""An independent reader of TensorBoard event files, for tests: no TensorFlow, no protobuf
library. Parses the TFRecord framing, checks both masked CRC32C checksums of every record
(CRC32C computed here, bit by bit from the Castagnoli polynomial), and decodes the Event,
Summary, Summary.Value, SummaryMetadata and TensorProto fields from the protobuf wire format
by hand. Prints one JSON object: {"events": [...]}; exits 1 with a message on any damage.

    python3 read_tfevents.py events.out.tfevents.*
"""
import json
import struct
import sys

def _table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t.append(c)
    return t

TABLE = _table()

def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF

def masked(data):
    c = crc32c(data)
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF

def records(buf, name):
    at = 0
    while at < len(buf):
        if len(buf) - at < 12:
            sys.exit(f"{name}: partial header at byte {at}")
        (length,) = struct.unpack_from("<Q", buf, at)
        (len_crc,) = struct.unpack_from("<I", buf, at + 8)
        if len_crc != masked(buf[at:at + 8]):
            sys.exit(f"{name}: bad length crc at byte {at}")
        data = buf[at + 12:at + 12 + length]
        if len(data) != length or at + 16 + length > len(buf):
            sys.exit(f"{name}: partial record at byte {at}")
        (data_crc,) = struct.unpack_from("<I", buf, at + 12 + length)
        if data_crc != masked(data):
            sys.exit(f"{name}: bad data crc at byte {at}")
        yield data
        at += 16 + length

def varint(b, i):
    shift = result = 0
    while True:
        byte = b[i]
        i += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, i
        shift += 7

def fields(b):
    """(field number, wire type, value) triples; length-delimited values as bytes."""
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 1:
            v = b[i:i + 8]; i += 8
        elif wt == 2:
            n, i = varint(b, i)
            v = b[i:i + n]; i += n
        elif wt == 5:
            v = b[i:i + 4]; i += 4
        else:
            raise ValueError(f"wire type {wt}")
        yield num, wt, v

def value(b):
    out = {}
    for num, wt, v in fields(b):
        if num == 1 and wt == 2:
            out["tag"] = v.decode("utf-8")
        elif num == 2 and wt == 5:
            out["simple_value"] = struct.unpack("<f", v)[0]
        elif num == 9 and wt == 2:
            for n2, w2, v2 in fields(v):
                if n2 == 1 and w2 == 2:
                    for n3, w3, v3 in fields(v2):
                        if n3 == 1 and w3 == 2:
                            out["plugin"] = v3.decode("utf-8")
                elif n2 == 4 and w2 == 0:
                    out["data_class"] = v2
        elif num == 8 and wt == 2:
            for n2, w2, v2 in fields(v):
                if n2 == 1 and w2 == 0:
                    out["dtype"] = v2
                elif n2 == 8 and w2 == 2:
                    out["text"] = v2.decode("utf-8")
    return out

def event(b):
    out = {"step": 0}
    for num, wt, v in fields(b):
        if num == 1 and wt == 1:
            out["wall_time"] = struct.unpack("<d", v)[0]
        elif num == 2 and wt == 0:
            out["step"] = v - (1 << 64) if v >= 1 << 63 else v
        elif num == 3 and wt == 2:
            out["file_version"] = v.decode("utf-8")
        elif num == 5 and wt == 2:
            out["values"] = [value(v2) for n2, w2, v2 in fields(v) if n2 == 1 and w2 == 2]
    return out

def main(paths):
    events = []
    for p in paths:
        with open(p, "rb") as f:
            buf = f.read()
        for i, r in enumerate(records(buf, p)):
            e = event(r)
            e["file"] = p
            e["index"] = i
            events.append(e)
    print(json.dumps({"events": events}))

if __name__ == "__main__":
    main(sys.argv[1:])
