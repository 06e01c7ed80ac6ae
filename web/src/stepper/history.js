// The last steps of frame-by-frame mode as trainer snapshots, in a ring: the
// oldest falls out once it is full, so stepping back costs a bounded memory
// (a snapshot of the default network is a few kilobytes).
export class History {
  #items;
  #start = 0;
  #length = 0;

  constructor(capacity = 128) {
    this.capacity = capacity;
    this.#items = new Array(capacity);
  }

  get length() {
    return this.#length;
  }

  push(snapshot) {
    this.#items[(this.#start + this.#length) % this.capacity] = snapshot;
    if (this.#length < this.capacity) this.#length += 1;
    else this.#start = (this.#start + 1) % this.capacity;
  }

  /** The latest snapshot, taken out of the ring; null when empty. */
  pop() {
    if (this.#length === 0) return null;
    this.#length -= 1;
    const at = (this.#start + this.#length) % this.capacity;
    const snapshot = this.#items[at];
    this.#items[at] = undefined;
    return snapshot;
  }

  clear() {
    this.#items.fill(undefined);
    this.#start = 0;
    this.#length = 0;
  }
}
