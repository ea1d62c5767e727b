/**
 * Create or Update's lookup for one execution: which 3DS lead-opportunities hold each partner id.
 * Instead of one search per item it sends one search per chunk of partner ids (the spec's
 * `partnerLeadOpportunityId` takes an array). The search answers 3DS ids only, so when a chunk
 * finds anything the matches are read (GET) to learn which belongs to which partner id; those
 * records are kept for the item's comparison, so an unchanged item costs no request of its own
 * beyond that GET. It sends requests, through the transport: the operation's own I/O.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ApiVersion } from '../../schemas';
import {
	getLeadOpportunity,
	searchIds,
	type ApiResponse,
	type DassaultSalesClient,
} from '../../transport';

/** Partner ids per search. 50 ids is a ~1.5 KB body, and one search per 50 items is 2 % overhead. */
export const DEFAULT_CHUNK_SIZE = 50;

/** What a gateway answers to a body or URL it finds too big: the chunk halves. */
const TOO_BIG = ['400', '413', '414'];

interface Pending {
	promise: Promise<string[]>;
	resolve: (ids: string[]) => void;
	reject: (error: unknown) => void;
}

const pending = (): Pending => {
	let resolve!: (ids: string[]) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<string[]>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	// Every item awaiting it handles the rejection; this keeps an unawaited prefetch quiet.
	promise.catch(() => undefined);
	return { promise, resolve, reject };
};

/** The partner ids of the execution's items in input order, registered as the items are read. */
class PartnerIds {
	readonly order: string[] = [];

	readonly position = new Map<string, number>();

	/** First item index per partner id, for the errors of the searches made for it. */
	readonly itemOf = new Map<string, number>();

	/** False while items are still being read: a chunk waits to be full (or for the last item). */
	private ended = false;

	get complete(): boolean {
		return this.ended;
	}

	private waiting: Array<() => void> = [];

	add(partnerLeadOpportunityId: string, itemIndex: number): void {
		if (this.position.has(partnerLeadOpportunityId)) return;
		this.position.set(partnerLeadOpportunityId, this.order.length);
		this.itemOf.set(partnerLeadOpportunityId, itemIndex);
		this.order.push(partnerLeadOpportunityId);
		this.wake();
	}

	end(): void {
		this.ended = true;
		this.wake();
	}

	/** Waits until `size()` ids from `position` on are registered, or no more will come. */
	async untilFilled(position: number, size: () => number): Promise<void> {
		while (!this.ended && this.order.length < position + size())
			await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	private wake(): void {
		const waiting = this.waiting;
		this.waiting = [];
		for (const resolve of waiting) resolve();
	}
}

export class UpsertLookup {
	/** Kept for the execution once a search was too big (halving on 400/413/414). */
	chunkSize: number;

	private readonly ids = new PartnerIds();

	private readonly results = new Map<string, Pending>();

	/** Records read to map a chunk, taken once by the item that compares against them. */
	private readonly records = new Map<string, { record: IDataObject; response: ApiResponse }>();

	/** Position of the first partner id that may not be searched yet. */
	private next = 0;

	constructor(
		private readonly client: DassaultSalesClient,
		private readonly version: ApiVersion,
		chunkSize = DEFAULT_CHUNK_SIZE,
	) {
		this.chunkSize = chunkSize;
	}

	/** Every partner id, in input order, before any `find`. */
	register(partnerLeadOpportunityId: string, itemIndex: number): void {
		this.ids.add(partnerLeadOpportunityId, itemIndex);
	}

	/** No more partner ids will come (every item of the execution is read). */
	allRegistered(): void {
		this.ids.end();
	}

	/** The 3DS ids holding this partner id (normally zero or one). */
	async find(partnerLeadOpportunityId: string): Promise<string[]> {
		const { ids } = this;
		this.register(partnerLeadOpportunityId, ids.itemOf.get(partnerLeadOpportunityId) ?? 0);
		const position = ids.position.get(partnerLeadOpportunityId)!;
		if (!this.results.has(partnerLeadOpportunityId))
			await ids.untilFilled(position, () => this.chunkSize);
		this.ensure(partnerLeadOpportunityId);
		// Search the next chunk while this one's items are written: at 400 ms a lookup that starts
		// only when its first item needs it would stall every worker for a round trip or two.
		// Only a full chunk (or the last one): with many items under way the ids after `ahead` may
		// not be read yet, and a chunk searched early would be a short one, an extra request.
		const aheadAt = position + Math.floor(this.chunkSize / 2);
		const ahead = ids.order[aheadAt];
		if (ahead !== undefined && (ids.complete || ids.order.length >= aheadAt + this.chunkSize))
			this.ensure(ahead);
		return await this.results.get(partnerLeadOpportunityId)!.promise;
	}

	/** A lead created (or found) by this execution: later items with its partner id update it. */
	remember(partnerLeadOpportunityId: string, dsLeadOpportunityId: string): void {
		const known = pending();
		known.resolve([dsLeadOpportunityId]);
		this.results.set(partnerLeadOpportunityId, known);
	}

	/** The record read while mapping, once: after a write it is stale, so a later item reads again. */
	takeRecord(dsLeadOpportunityId: string) {
		const record = this.records.get(dsLeadOpportunityId);
		this.records.delete(dsLeadOpportunityId);
		return record;
	}

	/**
	 * Searches the chunks up to the one holding this partner id, each from the first id not yet
	 * searched: chunks follow the input order whichever item asks first.
	 */
	private ensure(partnerLeadOpportunityId: string): void {
		const { order } = this.ids;
		while (!this.results.has(partnerLeadOpportunityId)) {
			while (this.next < order.length && this.results.has(order[this.next])) this.next++;
			const chunk: string[] = [];
			for (let i = this.next; i < order.length && chunk.length < this.chunkSize; i++)
				if (!this.results.has(order[i])) chunk.push(order[i]);
			for (const id of chunk) this.results.set(id, pending());
			void this.lookUp(chunk);
		}
	}

	private async lookUp(chunk: string[]): Promise<void> {
		const settle = (id: string) => this.results.get(id)!;
		const itemIndex = this.ids.itemOf.get(chunk[0]);
		let matches: string[];
		try {
			matches = await searchIds(this.client, { partnerLeadOpportunityId: chunk }, itemIndex);
		} catch (error) {
			const status = error instanceof NodeApiError ? String(error.httpCode) : '';
			if (chunk.length > 1 && TOO_BIG.includes(status)) {
				const half = Math.ceil(chunk.length / 2);
				this.chunkSize = Math.min(this.chunkSize, Math.max(1, Math.floor(chunk.length / 2)));
				await Promise.all([this.lookUp(chunk.slice(0, half)), this.lookUp(chunk.slice(half))]);
				return;
			}
			for (const id of chunk) settle(id).reject(error);
			return;
		}
		// One partner id: whatever the search found is its.
		if (chunk.length === 1) return settle(chunk[0]).resolve(matches);
		try {
			const found = await this.readOwners(matches, itemIndex);
			for (const id of chunk) settle(id).resolve(found.get(id) ?? []);
		} catch (error) {
			for (const id of chunk) settle(id).reject(error);
		}
	}

	/** Reads the matches of a chunk (keeping the records) and groups them by partner id. */
	private async readOwners(matches: string[], itemIndex?: number): Promise<Map<string, string[]>> {
		const found = new Map<string, string[]>();
		await Promise.all(
			matches.map(async (dsLeadOpportunityId) => {
				const read = await getLeadOpportunity(
					this.client,
					this.version,
					dsLeadOpportunityId,
					itemIndex,
				);
				this.records.set(dsLeadOpportunityId, read);
				const owner = read.record.partnerLeadOpportunityId;
				if (typeof owner === 'string')
					found.set(owner, [...(found.get(owner) ?? []), dsLeadOpportunityId]);
			}),
		);
		return found;
	}
}
