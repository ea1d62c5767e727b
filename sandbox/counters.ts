// What the sandbox served, for tests to assert on (admin.counters()).
import type { FaultName } from './faults';

export interface Counters {
	/** Requests routed to each operation (by operationId), whatever their outcome. */
	requests: Record<string, number>;
	/** Responses by HTTP status (connection resets are not responses). */
	statuses: Record<string, number>;
	unauthorized: number;
	forbidden: number;
	/** Requests to no known route. */
	notFound: number;
	/** 429s for a used-up quota (spurious 429s are in faults.rateLimited). */
	rateLimited: number;
	/** Those 429s by quota window: one entry per window that sent any, oldest first. */
	rateLimitedPerWindow: number[];
	/** Faults served, by name. */
	faults: Record<FaultName, number>;
	/** Store resets and reseeds through the admin API since start. */
	resets: number;
	/**
	 * TCP connections the server accepted (admin connections included). n8n opens one per
	 * request, so connections ÷ requests tells a benchmark how many handshakes the wire charged.
	 */
	connections: number;
}

/** What the sandbox's core counts as it serves; the limiter keeps `rateLimitedPerWindow`. */
export type ServedCounters = Omit<Counters, 'rateLimitedPerWindow'>;

export function emptyCounters(resets = 0): ServedCounters {
	return {
		requests: {},
		statuses: {},
		unauthorized: 0,
		forbidden: 0,
		notFound: 0,
		rateLimited: 0,
		faults: { unavailable: 0, rateLimited: 0, resetBeforeWrite: 0, resetAfterWrite: 0, latency: 0 },
		resets,
		connections: 0,
	};
}

export function increment(record: Record<string, number>, key: string | number): void {
	record[key] = (record[key] ?? 0) + 1;
}
