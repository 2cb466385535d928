/** One binary encoding of a type: `decode(encode(v))` equals `v`; `decode` throws only `DecodeError`. */
export interface Codec<T> {
  encode(value: T): Buffer;
  decode(bytes: Uint8Array): T;
}
