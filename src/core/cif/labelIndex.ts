// First occurrences of atom-site labels, for the duplicate-label check. An open-addressing table in
// a typed array instead of a Map: with 120k labels (the 5 MB benchmark CIF) the Map's lookups were
// the single largest cost of building the structure (cache misses across its entries).

export class FirstOccurrences {
  private slots: Int32Array;
  private mask: number;
  private readonly texts: string[] = [];
  private readonly rows: number[] = [];

  constructor(expected: number) {
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** The row `text` was first seen at; records `row` and returns undefined when it is new. */
  firstOrAdd(text: string, row: number): number | undefined {
    let slot = hash(text) & this.mask;
    for (let entry = this.slots[slot]; entry >= 0; entry = this.slots[slot]) {
      if (this.texts[entry] === text) return this.rows[entry];
      slot = (slot + 1) & this.mask;
    }
    this.slots[slot] = this.texts.length;
    this.texts.push(text);
    this.rows.push(row);
    if (this.texts.length * 2 > this.slots.length) this.grow();
    return undefined;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    this.texts.forEach((text, entry) => {
      let slot = hash(text) & this.mask;
      while (this.slots[slot] >= 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = entry;
    });
  }
}

/** FNV-1a over UTF-16 code units. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
