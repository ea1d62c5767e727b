// The HTTP front: the wire's inbound trip, routing, API key, quota, faults, then the operation
// handler; and writing every response with the X-RateLimit-* headers, checked against the spec
// when asked to, after the wire's trip back.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SandboxAdmin } from './admin';
import { serveAdmin } from './admin-http';
import type { SandboxCore } from './core';
import { increment } from './counters';
import { failures, gatewayMessages } from './errors';
import { failureReply, handleOperation, type OperationRequest, type Reply } from './handlers';
import { matchRoute, type Route } from './routes';
import { formatAjvErrors } from './spec';
import type { Trip } from './wire';

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

/**
 * Puts an answer (a response, or a dropped connection) on the wire back to the client: at once,
 * or after the trip back when the wire is on. Skipped if the connection is gone meanwhile.
 */
type Send = (write: () => void) => void;

function sender(res: ServerResponse, trip: Trip | undefined): Send {
	if (!trip) return (write) => write();
	return (write) =>
		void delay(trip.outboundMs).then(() => {
			if (!res.destroyed) write();
		});
}

class Exchange {
	constructor(
		private readonly core: SandboxCore,
		private readonly req: IncomingMessage,
		private readonly res: ServerResponse,
		private readonly route: Route,
		private readonly send: Send,
	) {}

	/** Answers an operation; every status but 401/403 carries the key's rate-limit headers. */
	reply(status: number, body: object, key?: string): void {
		const { core, route } = this;
		increment(core.counters.statuses, status);
		if (core.options.checkResponses !== false) this.check(status, body);
		// The headers are stamped when the gateway answers, before the trip back.
		const headers = key === undefined ? {} : core.limiter.headers(key);
		this.send(() => writeJson(this.res, status, body, headers));
		core.options.log?.(`${this.req.method} ${this.req.url} -> ${status} (${route.operationId})`);
	}

	/** Drops the connection without a response, as a network failure would. */
	reset(): void {
		this.send(() => this.req.socket.destroy());
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
	send: Send,
): Promise<void> {
	const match = matchRoute(core.routes, req.method ?? 'GET', url.pathname);
	if (!match) {
		core.counters.notFound++;
		send(() => writeJson(res, 404, { message: gatewayMessages.notFound }));
		return;
	}
	const { route } = match;
	const exchange = new Exchange(core, req, res, route, send);
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
	const server = createServer((req, res) => {
		let send: Send = (write) => write();
		void (async () => {
			const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
			// The admin routes are the test bench's, not the internet's: no wire on them.
			if (url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/')) {
				core.wire.firstOnSocket(req.socket);
				const rawBody = await readBody(req);
				const { status, body } = serveAdmin(admin, req.method ?? 'GET', url.pathname, rawBody);
				return writeJson(res, status, body);
			}
			const trip = core.wire.trip(req.socket);
			send = sender(res, trip);
			// The body travels with the request: read it while the request is on its way. Only on
			// arrival does the gateway check the key and count the quota.
			const [rawBody] = await Promise.all([
				readBody(req),
				trip ? delay(trip.inboundMs) : undefined,
			]);
			await serveOperation(core, req, res, url, rawBody, send);
		})().catch((error: unknown) => {
			// A bug in the sandbox, not an API behaviour: say so plainly.
			send(() => {
				if (!res.headersSent && !res.destroyed)
					writeJson(res, 500, { message: `Sandbox internal error: ${(error as Error).message}` });
			});
		});
	});
	// Every accepted TCP connection, so a benchmark can compare connections with requests.
	server.on('connection', () => core.counters.connections++);
	return server;
}
