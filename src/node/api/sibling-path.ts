/** Encodes a sibling path for the wire: base64 of `[u32 big-endian count][count × 32-byte node]`. */
export function encodeSiblingPath(path: readonly Uint8Array[]): string {
  const out = Buffer.alloc(4 + 32 * path.length);
  out.writeUInt32BE(path.length, 0);
  path.forEach((node, i) => {
    if (node.length !== 32) throw new Error(`sibling path node ${i} is ${node.length} bytes, expected 32`);
    out.set(node, 4 + 32 * i);
  });
  return out.toString('base64');
}

/** Decodes `encodeSiblingPath`'s output; throws on a malformed string. */
export function decodeSiblingPath(base64: string): Buffer[] {
  const buf = Buffer.from(base64, 'base64');
  if (buf.length < 4) throw new Error('sibling path too short');
  const count = buf.readUInt32BE(0);
  if (buf.length !== 4 + 32 * count) throw new Error(`sibling path of ${count} nodes must be ${4 + 32 * count} bytes`);
  return Array.from({ length: count }, (_, i) => buf.subarray(4 + 32 * i, 36 + 32 * i));
}
