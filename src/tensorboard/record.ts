/**
 * @fileoverview TFRecord framing, the container of TensorBoard event files: each record is
 *
 *   uint64 length (LE) | uint32 masked CRC32C of those 8 bytes | data | uint32 masked CRC32C of data
 *
 * with TensorFlow's mask `((crc >>> 15) | (crc << 17)) + 0xa282ead8`. CRC32C is
 * @aws-crypto/crc32c's (pure JS, the AWS SDK's own checksum code).
 */
import { crc32c } from '@aws-crypto/crc32c';

const MASK_DELTA = 0xa282ead8;
const HEADER = 12;
const FOOTER = 4;

/** TensorFlow's masked CRC32C of `data`. */
export function maskedCrc32c(data: Uint8Array): number {
  const c = crc32c(data);
  return (((c >>> 15) | (c << 17)) + MASK_DELTA) >>> 0;
}

/** One framed record holding `data`. */
export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(HEADER + data.length + FOOTER);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, HEADER);
  out.writeUInt32LE(maskedCrc32c(data), HEADER + data.length);
  return out;
}

export interface RecordScan {
  /** The data of every intact record, in order. */
  records: Buffer[];
  /** Bytes taken by the intact records (where a damaged tail starts). */
  intactBytes: number;
  /** Why reading stopped before the end (a partial last write, a bad checksum), or null. */
  damage: string | null;
}

/** Reads records until the end or the first damaged one (as TensorBoard does, it keeps the intact prefix). */
export function readRecords(buf: Buffer): RecordScan {
  const records: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < HEADER) return { records, intactBytes: at, damage: `a partial record header at byte ${at}` };
    const len = buf.readBigUInt64LE(at);
    if (buf.readUInt32LE(at + 8) !== maskedCrc32c(buf.subarray(at, at + 8))) return { records, intactBytes: at, damage: `a bad length checksum at byte ${at}` };
    const end = at + HEADER + Number(len) + FOOTER;
    if (len > BigInt(buf.length) || end > buf.length) return { records, intactBytes: at, damage: `a partial record at byte ${at}` };
    const data = buf.subarray(at + HEADER, end - FOOTER);
    if (buf.readUInt32LE(end - FOOTER) !== maskedCrc32c(data)) return { records, intactBytes: at, damage: `a bad data checksum at byte ${at}` };
    records.push(data);
    at = end;
  }
  return { records, intactBytes: at, damage: null };
}
