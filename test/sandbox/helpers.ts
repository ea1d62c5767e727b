// Shared by the sandbox tests: start a sandbox on a free loopback port, call it over real HTTP.
import { type Agent, type IncomingHttpHeaders, request } from 'node:http';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../sandbox';

export const KEY = 'sandbox-key';
export const V0 = '/sales/api4partners/v0';
export const V1 = '/sales/api4partners/v1';
export const SEARCH = `${V0}/leads-opportunities/search`;
export const PORTFOLIO = `${V0}/portfolio-items/search`;

export function start(options: SandboxOptions = {}): Promise<RunningSandbox> {
	return startSandbox({ host: '127.0.0.1', port: 0, ...options });
}

/** The describe block's running sandbox and its clock (epoch ms), filled in by useSandbox's hooks. */
export interface SandboxUnderTest {
	sandbox: RunningSandbox;
	clock: number;
}

export interface UseSandboxOptions extends SandboxOptions {
	/** Drive the sandbox's `now` from `clock`, set back to this value before each test. */
	clock?: number;
	/** Reset the sandbox's state (admin.reset()) before each test. */
	reset?: boolean;
}

/**
 * Registers the hooks of the describe block it is called in: start one sandbox before all its tests
 * and stop it after; with `clock` and `reset`, set the clock back and reset the store before each
 * test; and after each test, expect no response that broke the spec.
 */
export function useSandbox(options: UseSandboxOptions = {}): SandboxUnderTest {
	const { clock, reset, ...sandboxOptions } = options;
	const under = { clock: clock ?? 0 } as SandboxUnderTest;
	beforeAll(async () => {
		under.sandbox = await start(
			clock === undefined ? sandboxOptions : { now: () => under.clock, ...sandboxOptions },
		);
	});
	beforeEach(() => {
		if (clock !== undefined) under.clock = clock;
		if (reset) under.sandbox.admin.reset();
	});
	afterAll(() => under.sandbox.stop());
	afterEach(() => expect(under.sandbox.admin.violations()).toEqual([]));
	return under;
}

export interface HttpResult {
	status: number;
	headers: IncomingHttpHeaders;
	// Tests read into response bodies freely; the contract test checks their shapes.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

export interface CallOptions {
	body?: unknown;
	/** Sent as is instead of JSON.stringify(body). */
	raw?: string;
	/** API key; null sends none. Default KEY. */
	key?: string | null;
	/** The connection's agent. Default false: a connection of its own (no keep-alive). */
	agent?: Agent | false;
}

/**
 * One request, by default on its own connection (no keep-alive), so a reset fault cannot leak
 * into the next.
 */
export function call(
	baseUrl: string,
	method: string,
	path: string,
	options: CallOptions = {},
): Promise<HttpResult> {
	const payload =
		options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
	const key = options.key === undefined ? KEY : options.key;
	return new Promise((resolve, reject) => {
		const req = request(
			`${baseUrl}${path}`,
			{
				method,
				agent: options.agent ?? false,
				headers: {
					...(key === null ? {} : { 'X-API-Key': key }),
					...(payload === undefined
						? {}
						: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: text ? JSON.parse(text) : undefined,
					});
				});
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(payload);
	});
}

/** Resolves to 'reset' when the sandbox dropped the connection without answering. */
export async function callOrReset(
	baseUrl: string,
	method: string,
	path: string,
	options: CallOptions = {},
): Promise<HttpResult | 'reset'> {
	try {
		return await call(baseUrl, method, path, options);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ECONNRESET' || (error as Error).message === 'socket hang up') return 'reset';
		throw error;
	}
}

let counter = 0;
/** A partner CRM id no other test uses. */
export function partnerId(prefix = 'TEST'): string {
	counter++;
	return `${prefix}-${process.pid}-${counter}`;
}

/** A minimal valid v1 create body (the spec's post_leads-opportunities_lead example). */
export function createBodyV1(
	partnerLeadOpportunityId: string,
	overrides: Record<string, unknown> = {},
): Record<string, unknown> {
	return {
		partnerId: '200000000014442',
		leadOpportunity: {
			partnerLeadOpportunityId,
			name: 'Projekt Big-Picture Topic + MBSE (STEP 1+2)',
			status: 'LEAD_OPEN',
			closeDate: '2025-06-01T18:46:51.326Z',
			description: 'Projekt Dashboard - Big-Picture TopicPilotprojekt',
			currency: 'EUR',
			...((overrides.leadOpportunity as object) ?? {}),
		},
		offerLines: overrides.offerLines ?? [
			{
				amount: 13800,
				offerNameId: '3DEXPERIENCE_Design/Engineering_On_Premise',
				revenueType: 'PxC',
			},
		],
		customerLegalEntity: {
			name: 'NEW CUSTOMER CORPORATION',
			city: 'Stockdorf',
			country: 'Germany',
		},
		...Object.fromEntries(
			Object.entries(overrides).filter(([k]) => k !== 'leadOpportunity' && k !== 'offerLines'),
		),
	};
}

/** The same lead for v0 (revenueType in the v0 vocabulary). */
export function createBodyV0(
	partnerLeadOpportunityId: string,
	overrides: Record<string, unknown> = {},
): Record<string, unknown> {
	return createBodyV1(partnerLeadOpportunityId, {
		offerLines: [
			{
				amount: 13800,
				offerNameId: '3DEXPERIENCE_Design/Engineering_On_Premise',
				revenueType: 'RENTAL_BOOKING',
			},
		],
		...overrides,
	});
}

export const patchBody = (
	partnerLeadOpportunityId: string,
	attributes: Record<string, unknown> = {},
	extra: Record<string, unknown> = {},
) => ({
	partnerId: '200000000014442',
	leadOpportunity: { partnerLeadOpportunityId, ...attributes },
	...extra,
});

export const window = (fromDate: string, toDate: string) => ({
	modifiedDate: { fromDate, toDate },
});
