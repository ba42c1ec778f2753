/**
 * Reusable typed-array buffers. Classifying is synchronous, so per-post scratch space (word
 * boundaries, clause indices) can be recycled instead of allocated for every post: allocating typed
 * arrays is what made the garbage collector a large share of the classifier's time.
 */
export class Scratch {
  private readonly bytes = new Map<string, Uint8Array>();
  private readonly ints = new Map<string, Int32Array>();
  private readonly doubles = new Map<string, Float64Array>();

  /** A zeroed byte buffer of at least `size` entries, owned by `name` until the next call. */
  u8(name: string, size: number): Uint8Array {
    let b = this.bytes.get(name);
    if (!b || b.length < size) {
      b = new Uint8Array(Math.max(size, 256) * 2);
      this.bytes.set(name, b);
    } else {
      b.fill(0, 0, size);
    }
    return b;
  }

  /** An int buffer of at least `size` entries filled with `value` up to `size`. */
  i32(name: string, size: number, value: number): Int32Array {
    let b = this.ints.get(name);
    if (!b || b.length < size) {
      b = new Int32Array(Math.max(size, 256) * 2);
      this.ints.set(name, b);
    }
    b.fill(value, 0, size);
    return b;
  }

  /** A zeroed float buffer of at least `size` entries, owned by `name` until the next call. */
  f64(name: string, size: number): Float64Array {
    let b = this.doubles.get(name);
    if (!b || b.length < size) {
      b = new Float64Array(Math.max(size, 64) * 2);
      this.doubles.set(name, b);
    } else {
      b.fill(0, 0, size);
    }
    return b;
  }
}

/** `a` copied into a new array at least `atLeast` long, doubling its length (growth of reused buffers). */
export function grownInt32(a: Int32Array, atLeast: number): Int32Array<ArrayBuffer> {
  let size = Math.max(a.length, 1) * 2;
  while (size < atLeast) size *= 2;
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** The process-wide scratch space of the analysis stage (classification is synchronous). */
export const scratch = new Scratch();
