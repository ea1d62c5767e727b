// A fixed-window quota per API key, with the X-RateLimit-* headers the spec declares.

/**
 * How X-RateLimit-Reset is written, or whether the headers are sent at all. `seconds`: whole
 * seconds until the window ends, rounded up (what the spec describes). `epoch`: the window's end
 * in epoch seconds, as many gateways send it. `none`: no X-RateLimit-* header on any answer, 429
 * included, as a gateway that does not advertise its quota, so a client must cope without them.
 */
export type RateLimitHeaderForm = 'seconds' | 'epoch' | 'none';

export const RATE_LIMIT_HEADER_FORMS: readonly RateLimitHeaderForm[] = ['seconds', 'epoch', 'none'];

export interface Quota {
	quota: number;
	windowMs: number;
	rateLimitHeaders: RateLimitHeaderForm;
}

interface Window {
	start: number;
	count: number;
	/** Its place in `rateLimitedPerWindow`, once it refused a request. */
	refusedAt?: number;
}

export class RateLimiter {
	private readonly windows = new Map<string, Window>();

	/** 429s of each window that sent any, in the order the windows opened (every key). */
	private readonly refused: number[] = [];

	constructor(
		private readonly now: () => number,
		private readonly limits: () => Quota,
	) {}

	/** Counts one request against the key's window; false once the quota is used up. */
	consume(key: string): boolean {
		const window = this.window(key);
		if (window.count < this.limits().quota) {
			window.count++;
			return true;
		}
		window.refusedAt ??= this.refused.push(0) - 1;
		this.refused[window.refusedAt]++;
		return false;
	}

	/** The quota 429s of each window that sent any, oldest first: how a client learns a quota shows. */
	rateLimitedPerWindow(): number[] {
		return [...this.refused];
	}

	/** Header values as of now, in the configured form (RateLimitHeaderForm); none: {}. */
	headers(key: string): Record<string, string> {
		const { quota, windowMs, rateLimitHeaders } = this.limits();
		if (rateLimitHeaders === 'none') return {};
		const window = this.window(key);
		const end = window.start + windowMs;
		const reset =
			rateLimitHeaders === 'epoch'
				? Math.ceil(end / 1000)
				: Math.max(0, Math.ceil((end - this.now()) / 1000));
		return {
			'X-RateLimit-Limit': String(quota),
			'X-RateLimit-Remaining': String(Math.max(0, quota - window.count)),
			'X-RateLimit-Reset': String(reset),
		};
	}

	clear(): void {
		this.windows.clear();
		this.refused.length = 0;
	}

	private window(key: string): Window {
		const now = this.now();
		let window = this.windows.get(key);
		if (!window || now >= window.start + this.limits().windowMs || now < window.start) {
			// A new window starts with the first request after the last one ended (or if the
			// injected clock stepped back before it).
			window = { start: now, count: 0 };
			this.windows.set(key, window);
		}
		return window;
	}
}
