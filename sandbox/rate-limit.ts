// A fixed-window quota per API key, with the X-RateLimit-* headers the spec declares.

export interface Quota {
	quota: number;
	windowMs: number;
}

interface Window {
	start: number;
	count: number;
}

export class RateLimiter {
	private readonly windows = new Map<string, Window>();

	constructor(
		private readonly now: () => number,
		private readonly limits: () => Quota,
	) {}

	/** Counts one request against the key's window; false once the quota is used up. */
	consume(key: string): boolean {
		const window = this.window(key);
		if (window.count >= this.limits().quota) return false;
		window.count++;
		return true;
	}

	/** Header values as of now: Reset is whole seconds until the window ends, rounded up. */
	headers(key: string): Record<string, string> {
		const { quota, windowMs } = this.limits();
		const window = this.window(key);
		const reset = Math.max(0, Math.ceil((window.start + windowMs - this.now()) / 1000));
		return {
			'X-RateLimit-Limit': String(quota),
			'X-RateLimit-Remaining': String(Math.max(0, quota - window.count)),
			'X-RateLimit-Reset': String(reset),
		};
	}

	clear(): void {
		this.windows.clear();
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
