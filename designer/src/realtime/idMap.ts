// An immutable map by numeric id that changes by sharing: entries live in 128 small buckets (arrays),
// and a change copies only the buckets it touches plus the 128-slot index. Copying a whole 500-entry
// Map costs about 120 µs in V8; a delta that changes ten agents here copies ten arrays of about four.
// Read through `ReadonlyIdMap`, which a plain Map also satisfies (tests and views accept either).

export interface ReadonlyIdMap<T> {
  readonly size: number;
  get(id: number): T | undefined;
  has(id: number): boolean;
  values(): IterableIterator<T>;
  keys(): IterableIterator<number>;
}

const BUCKETS = 128;
const bucketOf = (id: number): number => ((id % BUCKETS) + BUCKETS) % BUCKETS;

type Bucket<T> = readonly T[];

function indexIn<T extends { readonly id: number }>(bucket: Bucket<T> | undefined, id: number): number {
  if (bucket === undefined) return -1;
  for (let i = 0; i < bucket.length; i++) if (bucket[i]!.id === id) return i;
  return -1;
}

export class IdMap<T extends { readonly id: number }> implements ReadonlyIdMap<T> {
  private constructor(
    private readonly buckets: readonly (Bucket<T> | undefined)[],
    readonly size: number,
  ) {}

  static from<T extends { readonly id: number }>(items: Iterable<T>): IdMap<T> {
    const editor = new IdMap<T>(new Array<Bucket<T> | undefined>(BUCKETS).fill(undefined), 0).edit();
    for (const item of items) editor.set(item);
    return editor.done();
  }

  get(id: number): T | undefined {
    const bucket = this.buckets[bucketOf(id)];
    const i = indexIn(bucket, id);
    return i < 0 ? undefined : bucket![i];
  }
  has(id: number): boolean {
    return indexIn(this.buckets[bucketOf(id)], id) >= 0;
  }
  *values(): IterableIterator<T> {
    for (const bucket of this.buckets) if (bucket !== undefined) yield* bucket;
  }
  *keys(): IterableIterator<number> {
    for (const bucket of this.buckets) if (bucket !== undefined) for (const item of bucket) yield item.id;
  }

  /** A batch of changes: `set` and `delete` in any order, then `done()` gives the new map (or this one, unchanged). */
  edit(): IdMapEditor<T> {
    return new IdMapEditor(this.buckets, this.size, (buckets, size) => new IdMap(buckets, size), this);
  }
}

export class IdMapEditor<T extends { readonly id: number }> {
  private index: (Bucket<T> | undefined)[] | null = null;
  /** Buckets already copied in this batch: written in place from then on. */
  private readonly copied = new Set<number>();
  private size: number;

  constructor(
    private readonly base: readonly (Bucket<T> | undefined)[],
    size: number,
    private readonly build: (buckets: readonly (Bucket<T> | undefined)[], size: number) => IdMap<T>,
    private readonly unchanged: IdMap<T>,
  ) {
    this.size = size;
  }

  private writable(b: number): T[] {
    this.index ??= this.base.slice();
    if (!this.copied.has(b)) {
      this.index[b] = this.index[b]?.slice() ?? [];
      this.copied.add(b);
    }
    return this.index[b] as T[];
  }

  set(item: T): void {
    const bucket = this.writable(bucketOf(item.id));
    const i = indexIn(bucket, item.id);
    if (i < 0) {
      bucket.push(item);
      this.size++;
    } else bucket[i] = item;
  }
  delete(id: number): void {
    const b = bucketOf(id);
    // Deleting what is not there costs no copy.
    if (indexIn((this.index ?? this.base)[b], id) < 0) return;
    const bucket = this.writable(b);
    bucket.splice(indexIn(bucket, id), 1);
    this.size--;
  }
  done(): IdMap<T> {
    return this.index === null ? this.unchanged : this.build(this.index, this.size);
  }
}
