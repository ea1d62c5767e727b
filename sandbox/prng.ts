// A small seeded PRNG (mulberry32) so the same seed always yields the same store, ids and fault
// sequence. Math.random cannot be seeded, and a dependency for 10 lines is not worth it.

/** Mixes a stream name into a seed, so independent streams (data, ids, faults...) do not share draws. */
export function deriveSeed(seed: number, stream: string): number {
	// FNV-1a over the stream name, then one murmur3 finaliser round with the seed.
	let h = 0x811c9dc5;
	for (let i = 0; i < stream.length; i++) {
		h ^= stream.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	h ^= seed >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

export class Rng {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Integer in [min, max], both inclusive. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** Picks by relative weight: `[[value, weight], ...]`. */
	weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
		const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
		let roll = this.next() * total;
		for (const [value, weight] of entries) {
			roll -= weight;
			if (roll < 0) return value;
		}
		return entries[entries.length - 1][0];
	}

	/** `count` distinct items, in draw order. */
	sample<T>(items: readonly T[], count: number): T[] {
		const pool = [...items];
		const out: T[] = [];
		while (out.length < count && pool.length > 0) {
			out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]);
		}
		return out;
	}

	chars(length: number, alphabet: string): string {
		let out = '';
		for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
		return out;
	}
}

/** Standard normal from two uniforms (Box-Muller). Takes the uniforms so callers control the draws. */
export function standardNormal(u1: number, u2: number): number {
	return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}
