/**
 * A method's result already serialized to JSON: the server splices the text into the response as it is, with no
 * schema work and no `JSON.stringify` of the value on each request. For answers that change only now and then
 * (the chain tips, the node's facts), built once when they change. The dispatcher still checks each instance against
 * the method's result schema, once, the first time it sends it.
 */
export class RawJson<T = unknown> {
  /** Phantom: what the text is the JSON of (so a method's raw result is type-checked like its plain one). */
  declare readonly _value?: T;

  private constructor(readonly json: string) {}

  /** `value` serialized once. */
  static of<T>(value: T): RawJson<T> {
    return new RawJson<T>(JSON.stringify(value));
  }

  /** `JSON.stringify` of a structure holding this one gives the same text as the server's splice. */
  toJSON(): unknown {
    return JSON.parse(this.json) as unknown;
  }
}
