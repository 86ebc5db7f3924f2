// Binary columns from the core (`Base64Array` in native/api/contract.ts): base64 of a typed array's
// little-endian bytes. Decoded straight into typed arrays, so a chart of millions of points never
// becomes millions of JS arrays.

function bytesOf(b64: string): Uint8Array<ArrayBuffer> {
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export function decodeFloat64(b64: string): Float64Array<ArrayBuffer> {
  const bytes = bytesOf(b64);
  // A fresh Uint8Array starts at offset 0 of its own buffer, so the view is always aligned.
  return new Float64Array(bytes.buffer, 0, bytes.length >> 3);
}

export function decodeUint8(b64: string): Uint8Array<ArrayBuffer> {
  return bytesOf(b64);
}
