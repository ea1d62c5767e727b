/**
 * A stand-in for n8n's `IPollFunctions`, modelled on ./n8n.ts: node parameters (with `a.b` paths),
 * one persistent static-data object (as n8n keeps across polls), mode and activation mode, the poll
 * budget, credentials, and `httpRequestWithAuthentication` through the same axios-based
 * `n8nHttpRequest` the execute tests use.
 */
import nock from 'nock';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	IPollFunctions,
	IHttpRequestOptions,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { DassaultSalesTrigger } from '../../nodes/DassaultSalesTrigger/DassaultSalesTrigger.node';
import { pollTrigger, type PollEnvironment } from '../../nodes/DassaultSalesTrigger/poll';
import { errorBody, getResult, leadRecord, searchResult } from './fixtures';
import { n8nHttpRequest, testCredentials, type SentRequest } from './n8n';

export const testTriggerNode: INode = {
	id: 't1r2g3',
	name: 'Dassault Systèmes Sales Trigger',
	type: 'n8n-nodes-dassault-sales.dassaultSalesTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export interface PollContextOptions {
	parameters?: IDataObject;
	/** The static data object; pass the same one to successive polls. Default: a new one. */
	staticData?: IDataObject;
	mode?: WorkflowExecuteMode;
	activationMode?: WorkflowActivateMode;
	/** `getPollBudgetMs()`; null leaves the method out, as in n8n versions before it. Default 45 s. */
	budgetMs?: number | null;
	credentials?: ICredentialDataDecryptedObject;
	sent?: SentRequest[];
	/** `getTimezone()`: the workflow's time zone. Default UTC. */
	timezone?: string;
}

const readPath = (source: IDataObject, path: string): unknown =>
	path
		.split('.')
		.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], source);

export function pollFunctions(options: PollContextOptions = {}): IPollFunctions {
	const credentials = options.credentials ?? testCredentials();
	const parameters = options.parameters ?? { event: 'leadOpportunityUpdated', options: {} };
	const staticData = options.staticData ?? {};
	const context: Record<string, unknown> = {
		getNode: () => testTriggerNode,
		getMode: () => options.mode ?? 'trigger',
		getActivationMode: () => options.activationMode ?? 'activate',
		getTimezone: () => options.timezone ?? 'UTC',
		getWorkflowStaticData: (type: string) => {
			if (type !== 'node')
				throw new Error(`The trigger must keep its state per node, not "${type}"`);
			return staticData;
		},
		getCredentials: async () => credentials,
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = readPath(parameters, name);
			if (value !== undefined) return value;
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) =>
				await n8nHttpRequest(request, credentials, testTriggerNode, options.sent),
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
		},
	};
	if (options.budgetMs !== null) context.getPollBudgetMs = () => options.budgetMs ?? 45_000;
	return context as unknown as IPollFunctions;
}

/** One poll through the node class, as n8n calls it (real clock). */
export async function pollNode(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	return await new DassaultSalesTrigger().poll.call(ctx);
}

/** One poll through the poll logic with an injected clock (and sleep). */
export async function pollAt(
	ctx: IPollFunctions,
	env: PollEnvironment,
): Promise<INodeExecutionData[][] | null> {
	return await pollTrigger(ctx, env);
}

/**
 * A small in-memory 3DS for the trigger's unit tests, answering through nock: search on
 * modifiedDate (inclusive bounds, as the API's) AND optionally "no partner id", GET v1 by id, and
 * faults queued per kind. It records every call in order. Answers carry no X-RateLimit-* headers
 * unless a fault sets them, so the transport's pacing gate never waits on a frozen test clock.
 * (The sandbox layer runs the real simulator.)
 */
export interface FakeCall {
	kind: 'search' | 'get';
	/** search: "fromDate..toDate"; get: the id. */
	detail: string;
	unassigned?: boolean;
	/** search: the ids answered. */
	ids?: string[];
}

interface Fault {
	kind: 'search' | 'get';
	status: number;
	body: unknown;
	headers: Record<string, string>;
}

const faultBody = (status: number): unknown =>
	status === 429
		? { message: 'Too many requests, please try again later' }
		: status === 401 || status === 403
			? { message: 'Invalid authentication credentials' }
			: status === 503
				? errorBody(status, 'ERR899', 'Service currently unavailable, please try again later.')
				: errorBody(status, 'ERR500', 'Internal server error');

export class FakeLeadsApi {
	readonly leads = new Map<string, IDataObject>();
	readonly calls: FakeCall[] = [];
	private readonly faults: Fault[] = [];
	/** Runs before each answer (advance a clock, change a lead "during" the poll). */
	beforeReply?: (call: FakeCall) => void;
	/** While set, every call is answered with this status (an outage, a refused key). */
	down?: number;

	constructor(baseUrl: string, apiPath: string) {
		nock(baseUrl)
			.persist()
			.post(`${apiPath}/v0/leads-opportunities/search`)
			.optionally()
			.reply((_uri, body) => this.search(body as IDataObject));
		nock(baseUrl)
			.persist()
			.get(new RegExp(`^${apiPath}/v1/leads-opportunities/[^/]+$`))
			.optionally()
			.reply((uri) => this.get(decodeURIComponent(uri.split('/').pop() ?? '')));
	}

	/** Creates or changes a lead: its modifiedDate moves to `modifiedDate`. */
	put(id: string, modifiedDate: string | number, extra: IDataObject = {}): IDataObject {
		const record = {
			...leadRecord(id),
			...(this.leads.get(id) ?? {}),
			...extra,
			modifiedDate:
				typeof modifiedDate === 'number' ? new Date(modifiedDate).toISOString() : modifiedDate,
		};
		this.leads.set(id, record);
		return record;
	}

	/** The next `times` calls of `kind` fail with `status`. */
	failNext(
		kind: 'search' | 'get',
		status: number,
		times = 1,
		headers: Record<string, string> = {},
	) {
		for (let i = 0; i < times; i++)
			this.faults.push({ kind, status, body: faultBody(status), headers });
	}

	searches = () => this.calls.filter((c) => c.kind === 'search');
	gets = () => this.calls.filter((c) => c.kind === 'get');
	reset = () => (this.calls.length = 0);

	private fault(kind: 'search' | 'get'): Fault | undefined {
		if (this.down !== undefined)
			return { kind, status: this.down, body: faultBody(this.down), headers: {} };
		const index = this.faults.findIndex((f) => f.kind === kind);
		return index < 0 ? undefined : this.faults.splice(index, 1)[0];
	}

	private search(body: IDataObject): [number, unknown, Record<string, string>?] {
		const criteria = (body.data ?? []) as IDataObject[];
		const window = criteria.find((c) => c.modifiedDate)?.modifiedDate as
			| { fromDate: string; toDate: string }
			| undefined;
		const partner = criteria.find((c) => c.partnerLeadOpportunityId !== undefined);
		const call: FakeCall = {
			kind: 'search',
			detail: window ? `${window.fromDate}..${window.toDate}` : '',
			unassigned: partner?.partnerLeadOpportunityId === '',
		};
		this.calls.push(call);
		this.beforeReply?.(call);
		const fault = this.fault('search');
		if (fault) return [fault.status, fault.body, fault.headers];
		const from = window ? Date.parse(window.fromDate) : -Infinity;
		const to = window ? Date.parse(window.toDate) : Infinity;
		call.ids = [...this.leads.values()]
			.filter((lead) => {
				const at = Date.parse(String(lead.modifiedDate));
				if (at < from || at > to) return false;
				return !call.unassigned || !lead.partnerLeadOpportunityId;
			})
			.map((lead) => String(lead.dsLeadOpportunityId));
		return [200, searchResult(...call.ids)];
	}

	private get(id: string): [number, unknown, Record<string, string>?] {
		const call: FakeCall = { kind: 'get', detail: id };
		this.calls.push(call);
		this.beforeReply?.(call);
		const fault = this.fault('get');
		if (fault) return [fault.status, fault.body, fault.headers];
		const lead = this.leads.get(id);
		if (!lead) return [500, errorBody(500, 'ERROR_048', 'Leverage Id not in scope of requestor')];
		return [200, getResult(structuredClone(lead))];
	}
}

/**
 * n8n's static data as a poll sees it (n8n 2.41.1, default settings): one in-memory object kept
 * across polls, written to the database when a poll returns items (GUIDE.md), and after the poll
 * of an activation, items or not (ActiveWorkflowManager.add ends with saveStaticData). A poll that
 * throws saves nothing. `restart()` reloads the in-memory object from the database, as a restart
 * of n8n (or a reactivation) does, and makes the next poll an activation's.
 */
export class N8nStaticData {
	readonly live: IDataObject = {};
	private persisted: IDataObject = {};
	private activating = true;
	restarts = 0;

	/** Call after every poll with what it returned, and whether it threw. */
	afterPoll(output: INodeExecutionData[][] | null, threw = false): void {
		if (threw) return; // an activation that throws is retried, and saves nothing
		if (this.activating || (output !== null && output.some((run) => run.length > 0)))
			this.persisted = structuredClone(this.live);
		this.activating = false;
	}

	restart(): void {
		for (const key of Object.keys(this.live)) delete this.live[key];
		Object.assign(this.live, structuredClone(this.persisted));
		this.activating = true;
		this.restarts++;
	}

	get saved(): IDataObject {
		return structuredClone(this.persisted);
	}
}
