// Public entry point: start a sandbox in process (tests) or from the CLI (cli.ts).
import type { AddressInfo } from 'node:net';
import { Admin, type SandboxAdmin } from './admin';
import { SandboxCore } from './core';
import { DEFAULTS, type SandboxOptions } from './options';
import { createSandboxServer } from './server';

export type { LeadChange, MarketingLeadOptions, SandboxAdmin } from './admin';
export { SandboxAdminError } from './admin';
export type { ContractViolation } from './core';
export type { Counters } from './counters';
export type { FaultRule, FaultsConfig, LatencyRule } from './faults';
export type { ConfigPatch, SandboxConfig, SandboxOptions } from './options';
export { DEFAULTS } from './options';
export type { RateLimitHeaderForm } from './rate-limit';
export type { WireConfig } from './wire';
export type { ChangeLogEntry, LeadOpportunity, PortfolioItem } from './types';

export interface RunningSandbox {
	/** Base URL, e.g. http://127.0.0.1:4010 (no trailing slash). */
	url: string;
	/** Closes the server and every open connection. Safe to call twice. */
	stop: () => Promise<void>;
	admin: SandboxAdmin;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
	const core = new SandboxCore(options);
	const admin = new Admin(core);
	const server = createSandboxServer(core, admin);
	const host = options.host ?? DEFAULTS.host;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? DEFAULTS.port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
	let stopped: Promise<void> | undefined;
	const stop = () =>
		(stopped ??= new Promise<void>((resolve) => {
			server.close(() => resolve());
			// Keep-alive connections would otherwise hold close() open.
			server.closeAllConnections();
		}));
	return { url, stop, admin };
}
