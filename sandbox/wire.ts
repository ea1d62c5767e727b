// The wire: the internet between n8n and the 3DS gateway. Real n8n opens a new TCP + TLS
// connection for every request, and the gateway counts the quota when a request arrives, so the
// sandbox makes each request pay its handshakes and half a round trip before it is handled, and
// every answer another half before the client sees it. The older `faults.latency` is a delay
// inside the server (after the quota, and never on a 429); the wire is this model of the network.
import type { Socket } from 'node:net';
import { Rng } from './prng';

export interface WireConfig {
	/** The round trip, drawn per request from the seeded PRNG: uniform in [minMs, maxMs] (equal: fixed). */
	minMs: number;
	maxMs: number;
	/** Extra round trips the first request on a new connection pays before it arrives: TCP (1) + TLS 1.3 (1) = 2 by default. */
	handshakeRoundTrips?: number;
}

export const DEFAULT_HANDSHAKE_ROUND_TRIPS = 2;

const WIRE_KEYS: ReadonlyArray<keyof WireConfig> = ['minMs', 'maxMs', 'handshakeRoundTrips'];

/** What one request costs on the wire, in ms. */
export interface Trip {
	/** From the client sending it to the gateway seeing it: the handshakes if any, then rtt / 2. */
	inboundMs: number;
	/** From the gateway answering to the client reading it: rtt / 2. */
	outboundMs: number;
}

export class Wire {
	/** Sockets that carried a request already: their next requests pay no handshake. */
	private readonly seen = new WeakSet<Socket>();

	constructor(
		private rng: Rng,
		private readonly config: () => WireConfig | undefined,
	) {}

	reseed(seed: number): void {
		this.rng = new Rng(seed);
	}

	/** True the first time a socket is given (its first request), false afterwards. */
	firstOnSocket(socket: Socket): boolean {
		if (this.seen.has(socket)) return false;
		this.seen.add(socket);
		return true;
	}

	/**
	 * The trip of a request that just reached the server, or undefined when the wire is off. Draws
	 * one number per request whether the wire is on or not, so that switching it on does not shift
	 * which round trip the n-th request meets; and marks the socket in both cases, since a
	 * connection opened before the wire was switched on has done its handshakes already.
	 */
	trip(socket: Socket): Trip | undefined {
		const u = this.rng.next();
		const first = this.firstOnSocket(socket);
		const wire = this.config();
		if (!wire) return undefined;
		const rtt = wire.minMs + u * (wire.maxMs - wire.minMs);
		const handshakes = first ? (wire.handshakeRoundTrips ?? DEFAULT_HANDSHAKE_ROUND_TRIPS) : 0;
		return { inboundMs: handshakes * rtt + rtt / 2, outboundMs: rtt / 2 };
	}
}

/** Throws on a wire that is not `{minMs, maxMs, handshakeRoundTrips?}` with sane numbers. */
export function assertWireConfig(wire: unknown): asserts wire is WireConfig {
	if (typeof wire !== 'object' || wire === null || Array.isArray(wire))
		throw new Error('wire must be an object {minMs, maxMs, handshakeRoundTrips?} or null (off)');
	const w = wire as Record<string, unknown>;
	const unknown = Object.keys(w).filter((key) => !WIRE_KEYS.includes(key as keyof WireConfig));
	if (unknown.length)
		throw new Error(`wire: unknown ${unknown.join(', ')} (known: ${WIRE_KEYS.join(', ')})`);
	for (const key of ['minMs', 'maxMs'] as const) {
		const value = w[key];
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
			throw new Error(`wire.${key} must be a number >= 0`);
	}
	if ((w.maxMs as number) < (w.minMs as number))
		throw new Error('wire.maxMs must be >= wire.minMs');
	const handshakes = w.handshakeRoundTrips;
	if (
		handshakes !== undefined &&
		(typeof handshakes !== 'number' || !Number.isInteger(handshakes) || handshakes < 0)
	)
		throw new Error('wire.handshakeRoundTrips must be an integer >= 0');
}
