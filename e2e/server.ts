// The long-running n8n processes of an instance: `n8n start` (N8nServer, with its REST and public
// API) and `n8n worker` (N8nProcess), started by N8nInstance.start and startWorker.
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

import type { N8nInstance } from './instance';
import { n8nEnv, nodeBinary, ProcessGroup, sleep, tail, type ProcessEnd } from './process';
import type { Execution, Json } from './run-data';

export interface StartOptions {
	port?: number;
	env?: Record<string, string>;
	readyTimeoutMs?: number;
}

export interface WorkerOptions {
	/** How many executions the worker runs at once (n8n's default is 10). */
	concurrency?: number;
	env?: Record<string, string>;
	readyTimeoutMs?: number;
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

/** A password n8n accepts (8+ characters, a digit, an upper-case letter). */
export function generatePassword(): string {
	return `N8n-${randomBytes(9).toString('base64url')}-7`;
}

export function defaultOwner(): Owner {
	return {
		email: 'owner@example.com',
		password: generatePassword(),
		firstName: 'Test',
		lastName: 'Owner',
	};
}

/**
 * One long-running n8n process of an instance (`n8n start`, `n8n worker`), in its own process
 * group, its output appended to the instance's log; ready once `readinessUrl` answers 2xx.
 */
export class N8nProcess {
	readonly instance: N8nInstance;
	/** The n8n command and its arguments, e.g. `['worker', '--concurrency=1']`. */
	readonly command: string[];
	readonly readinessUrl: string;
	/** Milliseconds from spawn to readiness. */
	startupMs = 0;
	private group?: ProcessGroup;
	private exited?: Promise<void>;

	constructor(instance: N8nInstance, command: string[], readinessUrl: string) {
		this.instance = instance;
		this.command = command;
		this.readinessUrl = readinessUrl;
	}

	get pid(): number | undefined {
		return this.group?.pid;
	}

	/** Resolves when the n8n process has ended (stopped, or crashed). */
	whenExited(): Promise<void> {
		return this.exited ?? Promise.resolve();
	}

	/** @internal */
	async launch(env: Record<string, string>, readyTimeoutMs: number): Promise<void> {
		const started = Date.now();
		appendFileSync(
			this.instance.logFile,
			`\n--- n8n ${this.command.join(' ')} (${this.readinessUrl})\n`,
		);
		// its own process group, so stop() ends the task runners too
		const group = ProcessGroup.spawn(nodeBinary(), [this.instance.n8nBin, ...this.command], {
			cwd: this.instance.userFolder,
			env: n8nEnv(this.instance.userFolder, env),
			stdout: this.instance.logFile,
			flags: 'a',
		});
		this.group = group;
		this.exited = group.exited.then(() => undefined);
		const deadline = Date.now() + readyTimeoutMs;
		for (;;) {
			const exitInfo = group.ended && describeEnd(group.ended);
			if (exitInfo)
				throw new Error(
					`n8n ${this.command[0]} ended (${exitInfo}) before it was ready:\n${tail(this.instance.log())}`,
				);
			try {
				const res = await fetch(this.readinessUrl, { signal: AbortSignal.timeout(2000) });
				if (res.ok) break;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) {
				await this.stop();
				throw new Error(
					`n8n ${this.command[0]} was not ready after ${readyTimeoutMs} ms:\n${tail(this.instance.log())}`,
				);
			}
			await sleep(250);
		}
		this.startupMs = Date.now() - started;
	}

	/** Stops the process: SIGTERM to its process group, SIGKILL after 15 s. */
	async stop(): Promise<void> {
		const group = this.group;
		if (!group?.pid || !this.exited) return;
		await group.stop(15_000);
		this.group = undefined;
	}

	/** Kills the process group at once, as a crash or an OOM kill would (no shutdown). */
	async kill(): Promise<void> {
		const group = this.group;
		if (!group?.pid || !this.exited) return;
		await group.kill();
		this.group = undefined;
	}
}

/** How a process ended, as the error of a start that failed says it. */
function describeEnd(end: ProcessEnd): string {
	return end.error ? end.error.message : (end.signal ?? `exit ${end.code}`);
}

/** `n8n start`: the editor, REST and public API, webhooks; the scheduler of triggers. */
export class N8nServer extends N8nProcess {
	readonly port: number;
	readonly url: string;
	owner?: Owner;
	apiKey?: string;
	private cookie?: string;

	constructor(instance: N8nInstance, port: number) {
		super(instance, ['start'], `http://127.0.0.1:${port}/healthz/readiness`);
		this.port = port;
		this.url = `http://127.0.0.1:${port}`;
	}

	/** A request to any path of the server (e.g. `types/nodes.json`, an icon) with the login cookie. */
	async fetch(route: string, init: RequestInit = {}): Promise<Response> {
		return await fetch(`${this.url}/${route.replace(/^\//, '')}`, {
			...init,
			headers: {
				...(this.cookie ? { cookie: this.cookie } : {}),
				'browser-id': 'e2e-harness',
				...(init.headers as Record<string, string> | undefined),
			},
		});
	}

	/** A request to n8n's internal REST API (/rest/...), with the login cookie once logged in. */
	async rest<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
		const res = await fetch(`${this.url}/rest${route}`, {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(this.cookie ? { cookie: this.cookie } : {}),
				'browser-id': 'e2e-harness', // n8n ties the auth cookie to a browser id
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const cookies = res.headers.getSetCookie();
		const auth = cookies.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /rest${route}: ${res.status} ${text.slice(0, 500)}`);
		const json = text ? (JSON.parse(text) as { data?: T }) : {};
		return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
	}

	/** Creates the owner account (first start of a user folder) and logs in as it. */
	async setupOwner(owner: Owner = defaultOwner()): Promise<Owner> {
		await this.rest('POST', '/owner/setup', owner);
		this.owner = owner;
		await this.login(owner);
		return owner;
	}

	async login(owner: Pick<Owner, 'email' | 'password'> = this.owner!): Promise<void> {
		await this.rest('POST', '/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
	}

	/** Creates a public-API key with every scope the owner may have; later calls use it. */
	async createApiKey(label = 'e2e'): Promise<string> {
		const scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
		const key = await this.rest<{ rawApiKey: string }>('POST', '/api-keys', {
			label,
			scopes,
			expiresAt: null,
		});
		this.apiKey = key.rawApiKey;
		return this.apiKey;
	}

	/** A request to the public API (/api/v1/...) with the API key (created on first need). */
	async api<T = Json>(method: string, route: string, body?: unknown): Promise<T> {
		if (!this.apiKey) await this.createApiKey();
		const res = await fetch(`${this.url}/api/v1${route}`, {
			method,
			headers: {
				'X-N8N-API-KEY': this.apiKey!,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /api/v1${route}: ${res.status} ${text.slice(0, 500)}`);
		return (text ? JSON.parse(text) : {}) as T;
	}

	/** Activates (publishes) a workflow on the running server: a polling trigger polls at once. */
	async activate(workflowId: string): Promise<Json> {
		return await this.api('POST', `/workflows/${workflowId}/activate`);
	}

	async deactivate(workflowId: string): Promise<Json> {
		return await this.api('POST', `/workflows/${workflowId}/deactivate`);
	}

	/** Calls a production webhook (of an active workflow); returns the HTTP status and body. */
	async webhook(route: string, body: unknown = {}): Promise<{ status: number; body: string }> {
		const res = await fetch(`${this.url}/webhook/${route.replace(/^\//, '')}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: res.status, body: await res.text() };
	}

	/** One execution, with its run data. */
	async getExecution(id: string): Promise<Execution> {
		return await this.api<Execution>('GET', `/executions/${id}?includeData=true`);
	}

	/** Retries a failed execution (public API); returns the new execution. */
	async retryExecution(id: string): Promise<Execution> {
		return await this.api<Execution>('POST', `/executions/${id}/retry`, {});
	}

	/** All executions of a workflow, newest first, with their run data by default. */
	async listExecutions(workflowId: string, { includeData = true } = {}): Promise<Execution[]> {
		const all: Execution[] = [];
		let cursor: string | undefined;
		do {
			const query = new URLSearchParams({
				workflowId,
				includeData: String(includeData),
				limit: '250',
			});
			if (cursor) query.set('cursor', cursor);
			const page = await this.api<{ data: Execution[]; nextCursor?: string | null }>(
				'GET',
				`/executions?${query}`,
			);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all;
	}

	/** Waits until a workflow has at least `count` finished executions (with data), newest first. */
	async waitForExecutions(
		workflowId: string,
		count: number,
		timeoutMs = 120_000,
	): Promise<Execution[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const done = (await this.listExecutions(workflowId)).filter((e) => e.stoppedAt);
			if (done.length >= count) return done;
			if (Date.now() > deadline) {
				throw new Error(
					`${done.length} of ${count} executions of ${workflowId} after ${timeoutMs} ms`,
				);
			}
			await sleep(1000);
		}
	}
}
