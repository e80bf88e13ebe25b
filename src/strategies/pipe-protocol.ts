/**
 * The framing between albench and a strategy running as another process (process-strategy.ts,
 * python/albench_strategy.py). JSON of a 59k × 10 probability matrix is tens of MB and slow to
 * parse, so arrays travel as raw little-endian bytes after a small JSON header:
 *
 *   request  (albench → process, stdin):  "ALBQ" | u32 LE header length | header JSON | array bytes…
 *   response (process → albench, stdout): "ALBR" | u32 LE body length   | body JSON {"indices": [...]}
 *
 * The header lists each array as `{ name, dtype, shape }`; their bytes follow in that order, with
 * no padding. The magic words make a stray `print` on stdout a clear protocol error instead of a
 * misread length.
 */

export const REQUEST_MAGIC = 'ALBQ';
export const RESPONSE_MAGIC = 'ALBR';
/** Bumped when the framing changes; sent in every header so a helper can refuse a newer albench. */
export const PROTOCOL_VERSION = 1;

export type WireDtype = 'int32' | 'float32';

/** One array of a request: name, element type, shape (row-major) and its values. */
export interface WireArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Int32Array | Float32Array;
}

/** The scalar fields of a request; the arrays go alongside. */
export interface RequestFields {
  readonly round: number;
  readonly batch_size: number;
  readonly seed: number;
  readonly num_classes: number;
}

/** Encodes one selection request as a single buffer (header + arrays). */
export function encodeRequest(fields: RequestFields, arrays: readonly WireArray[]): Buffer {
  for (const a of arrays) {
    const size = a.shape.reduce((p, d) => p * d, 1);
    if (size !== a.data.length) throw new Error(`array ${a.name}: shape [${a.shape.join(', ')}] holds ${size} values, got ${a.data.length}`);
  }
  const header = Buffer.from(
    JSON.stringify({
      version: PROTOCOL_VERSION,
      ...fields,
      arrays: arrays.map((a) => ({ name: a.name, dtype: dtypeOf(a.data), shape: a.shape })),
    }),
    'utf8',
  );
  const prefix = Buffer.alloc(8);
  prefix.write(REQUEST_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length, 4);
  // Typed arrays are little-endian on every platform Node runs on here (x86-64, arm64).
  const bodies = arrays.map((a) => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  return Buffer.concat([prefix, header, ...bodies]);
}

function dtypeOf(data: Int32Array | Float32Array): WireDtype {
  return data instanceof Int32Array ? 'int32' : 'float32';
}

/** Raised when the bytes on the process's stdout are not a response frame. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/**
 * Reads response frames from a byte stream. `push` a chunk; `next()` returns the next complete
 * body (parsed JSON) or undefined while it is incomplete, and throws `ProtocolError` on bytes that
 * cannot start a frame.
 */
export class ResponseReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  next(): unknown {
    const head = this.buffer.subarray(0, 4);
    if (!RESPONSE_MAGIC.startsWith(head.toString('latin1'))) {
      throw new ProtocolError(`expected a response frame ("${RESPONSE_MAGIC}" + length + JSON) on stdout, got ${preview(this.buffer)}`);
    }
    if (this.buffer.length < 8) return undefined;
    const length = this.buffer.readUInt32LE(4);
    if (this.buffer.length < 8 + length) return undefined;
    const body = this.buffer.subarray(8, 8 + length).toString('utf8');
    this.buffer = this.buffer.subarray(8 + length);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new ProtocolError(`response body is not JSON: ${preview(Buffer.from(body))}`);
    }
  }
}

function preview(bytes: Buffer): string {
  const text = bytes.subarray(0, 80).toString('utf8');
  return `${JSON.stringify(text)}${bytes.length > 80 ? '…' : ''}`;
}
