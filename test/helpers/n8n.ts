/**
 * A stand-in for n8n's execution context, close to the real one where it matters to the node:
 * parameters per item (with n8n's `a.b` paths), credentials, continueOnFail, and
 * `httpRequestWithAuthentication` done with axios (as n8n-core does, a new connection per
 * request) honouring `returnFullResponse` and `ignoreHttpStatusErrors`, adding the credential's
 * `X-API-Key`, and wrapping network failures in `NodeApiError` like n8n. Real n8n runs the same node in the e2e layer.
 */
import axios, { type AxiosRequestConfig } from 'axios';
import http from 'node:http';
import https from 'node:https';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	NodeExecutionHint,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { DassaultSales } from '../../nodes/DassaultSales/DassaultSales.node';
import { assertRequestMatchesSpec } from './contract';

export const TEST_BASE_URL = 'http://dassault.test';
export const TEST_API_KEY = 'test-key-5b0a1c';
export const TEST_PARTNER_ID = '200000000014442';

export const testCredentials = (overrides: IDataObject = {}): ICredentialDataDecryptedObject => ({
	apiKey: TEST_API_KEY,
	environment: 'custom',
	baseUrl: TEST_BASE_URL,
	partnerId: TEST_PARTNER_ID,
	...overrides,
});

export const testNode: INode = {
	id: 'a1b2c3',
	name: 'Dassault Systèmes Sales',
	type: 'n8n-nodes-dassault-sales.dassaultSales',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** What the node sent, for assertions (nock checks the wire, this checks options). */
export interface SentRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	body: unknown;
}

export async function n8nHttpRequest(
	options: IHttpRequestOptions,
	credentials: ICredentialDataDecryptedObject,
	node: INode,
	sent?: SentRequest[],
	checkContract = true,
) {
	const headers: Record<string, string> = {
		...(options.headers as Record<string, string>),
		'X-API-Key': String(credentials.apiKey ?? ''),
	};
	const config: AxiosRequestConfig = {
		method: options.method ?? 'GET',
		baseURL: options.baseURL,
		url: options.url,
		params: options.qs,
		data: options.body,
		headers,
		timeout: options.timeout,
		validateStatus: options.ignoreHttpStatusErrors ? () => true : undefined,
		responseType: options.json ? 'json' : 'text',
		// As n8n 1.x and 2.x do (a new agent per request, n8n-core's setAxiosAgents): every request
		// opens its own connection, so a wire with handshakes costs here what it costs in n8n.
		httpAgent: new http.Agent(),
		httpsAgent: new https.Agent(),
	};
	const url = `${options.baseURL ?? ''}${options.url}`;
	// Every body the node builds in a test must be one the spec accepts (the contract layer).
	if (checkContract) assertRequestMatchesSpec(String(config.method), url, options.body);
	sent?.push({ method: String(config.method), url, headers, body: options.body });
	try {
		const response = await axios.request(config);
		return options.returnFullResponse
			? {
					body: response.data,
					headers: response.headers,
					statusCode: response.status,
					statusMessage: response.statusText,
				}
			: response.data;
	} catch (error) {
		throw new NodeApiError(node, error as never);
	}
}

export interface ContextOptions {
	/** Parameters, the same for every item, or per item. */
	parameters: Record<string, unknown> | ((itemIndex: number) => Record<string, unknown>);
	items?: INodeExecutionData[];
	credentials?: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	sent?: SentRequest[];
	/** Check each body against the spec (default); benchmarks turn it off to time the node alone. */
	checkContract?: boolean;
	/** `getTimezone()`: the workflow's time zone. Default UTC, so zoneless test values read as UTC. */
	timezone?: string;
	/**
	 * `getContext('node')`: n8n's execution-scoped context of the node, the same object at every
	 * run of the node in one execution (pass one object to several runs to play Loop Over Items).
	 */
	nodeContext?: IDataObject;
	/** Collects what the node passes to `addExecutionHints`. */
	hints?: NodeExecutionHint[];
}

const readPath = (source: Record<string, unknown>, path: string): unknown =>
	path
		.split('.')
		.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], source);

export function executeFunctions(options: ContextOptions): IExecuteFunctions {
	const credentials = options.credentials ?? testCredentials();
	const items = options.items ?? [{ json: {} }];
	const parametersOf = (i: number) =>
		typeof options.parameters === 'function' ? options.parameters(i) : options.parameters;
	const nodeContext = options.nodeContext ?? {};
	const context = {
		getNode: () => testNode,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail ?? false,
		getTimezone: () => options.timezone ?? 'UTC',
		getContext: (type: string) => {
			if (type !== 'node') throw new Error(`getContext("${type}") is not stubbed`);
			return nodeContext;
		},
		addExecutionHints: (...hints: NodeExecutionHint[]) => options.hints?.push(...hints),
		getCredentials: async () => credentials,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = readPath(parametersOf(itemIndex), name);
			if (value !== undefined) return value;
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) =>
				await n8nHttpRequest(request, credentials, testNode, options.sent, options.checkContract),
		},
	};
	return context as unknown as IExecuteFunctions;
}

export async function runNode(options: ContextOptions): Promise<INodeExecutionData[]> {
	const [output] = await new DassaultSales().execute.call(executeFunctions(options));
	return output;
}
