// The HTTP front: routing, API key, quota, faults, then the operation handler; and writing every
// response with the X-RateLimit-* headers, checked against the spec when asked to.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SandboxAdmin } from './admin';
import { serveAdmin } from './admin-http';
import type { SandboxCore } from './core';
import { increment } from './counters';
import { failures, gatewayMessages } from './errors';
import { failureReply, handleOperation, type OperationRequest, type Reply } from './handlers';
import { matchRoute, type Route } from './routes';
import { formatAjvErrors } from './spec';

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function writeJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

const delay = (ms: number) =>
	new Promise<void>((resolve) => {
		// unref: a request still waiting when the sandbox stops must not hold the process open.
		setTimeout(resolve, ms).unref();
	});

class Exchange {
	constructor(
		private readonly core: SandboxCore,
		private readonly req: IncomingMessage,
		private readonly res: ServerResponse,
		private readonly route: Route,
	) {}

	/** Answers an operation; every status but 401/403 carries the key's rate-limit headers. */
	reply(status: number, body: object, key?: string): void {
		const { core, route } = this;
		increment(core.counters.statuses, status);
		if (core.options.checkResponses !== false) this.check(status, body);
		writeJson(this.res, status, body, key === undefined ? {} : core.limiter.headers(key));
		core.options.log?.(`${this.req.method} ${this.req.url} -> ${status} (${route.operationId})`);
	}

	/** Drops the connection without a response, as a network failure would. */
	reset(): void {
		this.req.socket.destroy();
		this.core.options.log?.(
			`${this.req.method} ${this.req.url} -> connection reset (${this.route.operationId})`,
		);
	}

	private check(status: number, body: object): void {
		const validate = this.core.spec.responseValidator(this.route.operationId, status);
		const errors = !validate
			? `status ${status} is not declared`
			: validate(body)
				? undefined
				: formatAjvErrors(validate.errors);
		if (errors) this.core.violations.push({ operationId: this.route.operationId, status, errors });
	}
}

async function serveOperation(
	core: SandboxCore,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	rawBody: string,
): Promise<void> {
	const match = matchRoute(core.routes, req.method ?? 'GET', url.pathname);
	if (!match) {
		core.counters.notFound++;
		writeJson(res, 404, { message: gatewayMessages.notFound });
		return;
	}
	const { route } = match;
	const exchange = new Exchange(core, req, res, route);
	increment(core.counters.requests, route.operationId);

	// The gateway: API key first (401/403 carry no rate-limit headers), then the quota.
	const key = req.headers['x-api-key'];
	if (typeof key !== 'string' || key === '') {
		core.counters.unauthorized++;
		return exchange.reply(401, { message: gatewayMessages.missingKey });
	}
	if (!core.config.apiKeys.includes(key)) {
		core.counters.forbidden++;
		return exchange.reply(403, { message: gatewayMessages.forbidden });
	}
	if (!core.limiter.consume(key)) {
		core.counters.rateLimited++;
		return exchange.reply(429, { message: gatewayMessages.tooManyRequests }, key);
	}

	const ctx = core.handlerContext();
	const request: OperationRequest = {
		route,
		id: match.id,
		body: undefined,
		query: url.searchParams,
	};
	const fault = core.faults.decide(route);
	if (fault.latencyMs > 0) {
		core.counters.faults.latency++;
		await delay(fault.latencyMs);
	}
	if (fault.outcome) core.counters.faults[fault.outcome]++;
	switch (fault.outcome) {
		case 'unavailable':
			return exchange.reply(503, failureReply(ctx, request, failures.unavailable()).body, key);
		case 'rateLimited':
			return exchange.reply(429, { message: gatewayMessages.tooManyRequests }, key);
		case 'resetBeforeWrite':
			return exchange.reset();
	}

	let reply: Reply;
	if (route.kind === 'get' || route.kind === 'portfolio' || rawBody.trim() === '') {
		reply = handleOperation(ctx, request);
	} else {
		try {
			request.body = JSON.parse(rawBody);
			reply = handleOperation(ctx, request);
		} catch (error) {
			if (!(error instanceof SyntaxError)) throw error;
			reply = failureReply(ctx, request, failures.invalidJson(error.message));
		}
	}
	if (fault.outcome === 'resetAfterWrite') return exchange.reset();
	exchange.reply(reply.status, reply.body, key);
}

export function createSandboxServer(core: SandboxCore, admin: SandboxAdmin): Server {
	return createServer((req, res) => {
		void (async () => {
			const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
			const rawBody = await readBody(req);
			if (url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/')) {
				const { status, body } = serveAdmin(admin, req.method ?? 'GET', url.pathname, rawBody);
				return writeJson(res, status, body);
			}
			await serveOperation(core, req, res, url, rawBody);
		})().catch((error: unknown) => {
			// A bug in the sandbox, not an API behaviour: say so plainly.
			if (!res.headersSent && !res.destroyed)
				writeJson(res, 500, { message: `Sandbox internal error: ${(error as Error).message}` });
		});
	});
}
