// The offline spool the Python client writes when no server is reachable (clients/python/runledger/
// spool.py is the writer; this is the reader). One folder per run:
//
//   <run folder>/records.jsonl           one record per line, append-only, fsync'd per flush
//   <run folder>/artifacts/<sha256>      artifact bytes, content-addressed
//
// Each line is `{"sha256":"<64 hex>","record":<payload>}` where the hash is over the payload's exact
// bytes, so a reader checks it without re-serialising JSON (Python and JavaScript print numbers and
// escapes differently). Payloads carry `seq` (0, 1, 2, … with no gaps) and `type`; record 0 is the
// `run` header, and its hash is the spool's identity.
import crypto from 'node:crypto';
import fs from 'node:fs';

export const SPOOL_RECORDS = 'records.jsonl';
export const SPOOL_ARTIFACTS = 'artifacts';

export interface SpoolRecord {
  seq: number;
  sha256: string;
  /** Byte offset of the line in records.jsonl. */
  offset: number;
  payload: Record<string, unknown>;
}

export interface SpoolProblem {
  /** `torn`: the last line is incomplete (the writer died mid-write). `corrupt`: a bad line with good ones after it. */
  kind: 'torn' | 'corrupt';
  /** Index of the first record that could not be read (= how many were read). */
  record: number;
  offset: number;
  message: string;
}

const HEAD = Buffer.from('{"sha256":"');
const MID = Buffer.from('","record":');
const HASH_END = HEAD.length + 64;
const PAYLOAD_START = HASH_END + MID.length;

/** Why one line is not a valid record, or its parts. */
export function decodeLine(line: Buffer, expectedSeq: number): { sha256: string; payload: Record<string, unknown> } | string {
  if (line.length < PAYLOAD_START + 2 || !line.subarray(0, HEAD.length).equals(HEAD) || !line.subarray(HASH_END, PAYLOAD_START).equals(MID) || line[line.length - 1] !== 0x7d) {
    return 'not a spool record line';
  }
  const sha256 = line.subarray(HEAD.length, HASH_END).toString('latin1');
  const payloadBytes = line.subarray(PAYLOAD_START, line.length - 1);
  if (crypto.createHash('sha256').update(payloadBytes).digest('hex') !== sha256) return 'checksum mismatch';
  let payload: unknown;
  try {
    payload = JSON.parse(payloadBytes.toString('utf8'));
  } catch {
    return 'payload is not JSON';
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return 'payload is not an object';
  const p = payload as Record<string, unknown>;
  if (p.seq !== expectedSeq) return `sequence number ${JSON.stringify(p.seq)} where ${expectedSeq} was expected`;
  if (typeof p.type !== 'string') return 'record has no type';
  return { sha256, payload: p };
}

/** The running identity of a spool prefix: chain_i = sha256(chain_{i-1} + sha256_i). */
export function chainHash(previous: string, recordSha: string): string {
  return crypto.createHash('sha256').update(previous + recordSha).digest('hex');
}

/**
 * Streams the valid records of a spool file in order. Stops at the first bad line and returns why:
 * the last line being bad is a torn write (expected after a crash), anything after it is corruption.
 */
export async function* readSpool(file: string): AsyncGenerator<SpoolRecord, SpoolProblem | null, void> {
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0; // of carry's first byte
  let seq = 0;
  let bad: { offset: number; message: string } | null = null;
  let moreAfterBad = false;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    let buf: Buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      const line = buf.subarray(start, nl);
      const lineOffset = offset + start;
      start = nl + 1;
      if (line.length === 0) continue;
      if (bad) {
        moreAfterBad = true;
        break;
      }
      const r = decodeLine(line, seq);
      if (typeof r === 'string') bad = { offset: lineOffset, message: r };
      else yield { seq: seq++, sha256: r.sha256, offset: lineOffset, payload: r.payload };
    }
    if (moreAfterBad) break;
    carry = buf.subarray(start);
    offset += start;
    buf = carry;
  }
  if (!moreAfterBad && carry.length > 0 && carry.some((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d)) {
    if (bad) moreAfterBad = true;
    else {
      // No newline after it: a complete record whose "\n" never made it is still complete.
      const r = decodeLine(carry, seq);
      if (typeof r === 'string') bad = { offset, message: 'cut short before its line end' };
      else yield { seq: seq++, sha256: r.sha256, offset, payload: r.payload };
    }
  }
  if (!bad) return null;
  return moreAfterBad
    ? { kind: 'corrupt', record: seq, offset: bad.offset, message: `record #${seq} at byte ${bad.offset} is damaged (${bad.message}) and more records follow it` }
    : { kind: 'torn', record: seq, offset: bad.offset, message: `the last record (#${seq}, at byte ${bad.offset}) is incomplete (${bad.message}): torn by a crash` };
}
