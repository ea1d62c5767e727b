// Helpers of the e2e tests that run the shipped example workflows (and our nodes) in real n8n
// without calling any outside service: the third-party nodes of a workflow are swapped, in code,
// for core nodes that yield what the real ones would, and our nodes stay as shipped.
//
//   replaceTrigger(workflow, 'HubSpot Trigger', events)   Manual Trigger -> Set -> Split Out named
//                                                         'HubSpot Trigger': the same items, the
//                                                         same outgoing connections
//   replaceWithEcho(workflow, 'Create Salesforce Lead',   a Set node of the same name that answers
//     "({ id: '00Q…', success: true, errors: [] })")      like the API would, plus `_request`: the
//                                                         shipped node's parameters, evaluated
//
// `_request` is what makes the swap honest: the shipped mapping (every expression of the replaced
// node) is evaluated by n8n on the real items, and the test asserts on the values the real node
// would have sent.
//
//   createLeadViaApi(url, lead)     a lead-opportunity created through the sandbox's v1 API
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
	repoRoot,
	SANDBOX_API_KEY,
	SANDBOX_PARTNER_ID,
	type WorkflowInput,
} from '../../e2e/harness';

type Json = Record<string, unknown>;
export type WorkflowNode = Json & {
	name: string;
	type: string;
	position: [number, number];
	parameters: Json;
};

export const examplesDir = path.join(repoRoot, 'examples');

/** A shipped example, parsed afresh (the caller may change its copy). */
export interface Workflow extends WorkflowInput {
	nodes: WorkflowNode[];
}

export function loadExample(file: string): Workflow {
	return JSON.parse(readFileSync(path.join(examplesDir, file), 'utf8')) as Workflow;
}

export function findNode(workflow: WorkflowInput, name: string): WorkflowNode {
	const node = (workflow.nodes as WorkflowNode[]).find((n) => n.name === name);
	if (!node) throw new Error(`no node "${name}" in workflow "${workflow.name}"`);
	return node;
}

const setNode = (name: string, position: [number, number], jsonOutput: string): WorkflowNode => ({
	id: randomUUID(),
	name,
	type: 'n8n-nodes-base.set',
	typeVersion: 3.5,
	position,
	parameters: { mode: 'raw', jsonOutput, includeOtherFields: false, options: {} },
});

/**
 * Replaces a trigger by Manual Trigger -> Set (the items, as JSON) -> Split Out, the last one
 * named like the trigger so that connections and `$('<trigger>')` expressions keep working.
 */
export function replaceTrigger(workflow: WorkflowInput, name: string, items: Json[]): void {
	const trigger = findNode(workflow, name);
	const [x, y] = trigger.position;
	const start = `${name} (test start)`;
	const data = `${name} (test data)`;
	workflow.nodes = [
		...(workflow.nodes as WorkflowNode[]).filter((n) => n.name !== name),
		{
			id: randomUUID(),
			name: start,
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [x - 440, y + 300],
			parameters: {},
		},
		setNode(data, [x - 220, y + 300], JSON.stringify({ items })),
		{
			id: trigger.id,
			name,
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [x, y],
			parameters: { fieldToSplitOut: 'items', include: 'noOtherFields', options: {} },
		},
	];
	const connections = workflow.connections as Json;
	connections[start] = { main: [[{ node: data, type: 'main', index: 0 }]] };
	connections[data] = { main: [[{ node: name, type: 'main', index: 0 }]] };
}

/** The expression of an n8n parameter value as JavaScript (`={{ x }}` -> `(x)`, text -> literal). */
export function parameterAsCode(value: unknown): string {
	if (typeof value !== 'string' || !value.startsWith('=')) return JSON.stringify(value ?? null);
	const template = value.slice(1);
	const whole = /^\{\{([\s\S]*?)\}\}$/.exec(template.trim());
	if (whole && !whole[1].includes('{{')) return `(${whole[1].trim()})`;
	// Text with expressions inside: 'a {{ x }} b' -> ['a ', (x), ' b'].join('')
	const parts: string[] = [];
	let rest = template;
	for (;;) {
		const open = rest.indexOf('{{');
		if (open < 0) break;
		const close = rest.indexOf('}}', open);
		if (close < 0) break;
		if (open > 0) parts.push(JSON.stringify(rest.slice(0, open)));
		parts.push(`String(${rest.slice(open + 2, close).trim()})`);
		rest = rest.slice(close + 2);
	}
	if (rest) parts.push(JSON.stringify(rest));
	return `[${parts.join(', ')}].join('')`;
}

/** Every leaf parameter of a node, by its path (`updateFields.stageName`, `dealId.value`). */
export function parameterLeaves(parameters: Json, prefix = ''): Array<[string, unknown]> {
	const leaves: Array<[string, unknown]> = [];
	for (const [key, value] of Object.entries(parameters)) {
		const at = prefix ? `${prefix}.${key}` : key;
		if (value && typeof value === 'object' && !Array.isArray(value)) {
			const object = value as Json;
			if (object.__rl === true) leaves.push([`${at}.value`, object.value]);
			else leaves.push(...parameterLeaves(object, at));
		} else if (Array.isArray(value)) {
			value.forEach((element, index) =>
				element && typeof element === 'object'
					? leaves.push(...parameterLeaves(element as Json, `${at}[${index}]`))
					: leaves.push([`${at}[${index}]`, element]),
			);
		} else {
			leaves.push([at, value]);
		}
	}
	return leaves;
}

/**
 * Replaces a node that would call an outside service by a Set node of the same name and place
 * whose output is `responseCode` (JavaScript evaluated per item by n8n: `$json`, `$itemIndex`, …)
 * plus `_request`: every parameter of the replaced node evaluated on the item, by path.
 */
export function replaceWithEcho(
	workflow: WorkflowInput,
	name: string,
	responseCode: string,
): WorkflowNode {
	const original = findNode(workflow, name);
	const request = parameterLeaves(original.parameters)
		.map(([at, value]) => `${JSON.stringify(at)}: ${parameterAsCode(value)}`)
		.join(',\n ');
	const code = `Object.assign({}, ${responseCode}, { "_request": {\n ${request}\n } })`;
	// n8n ends an expression at the first "}}": the code must never hold one.
	if (code.includes('}}')) throw new Error(`the echo of "${name}" would contain "}}":\n${code}`);
	const echo = setNode(name, original.position, `={{ ${code} }}`);
	echo.id = original.id;
	echo.notes = `Test stand-in for ${String(original.type)}`;
	workflow.nodes = (workflow.nodes as WorkflowNode[]).map((n) => (n.name === name ? echo : n));
	return echo;
}

/** A JSON value as JavaScript that never holds "}}" (pretty-printed: braces on their own lines). */
export const literal = (value: unknown): string => JSON.stringify(value, null, 1);

// ---------------------------------------------------------------------------------------------
// The sandbox over HTTP, as a partner's other tools would have filled it

export interface NewLead {
	partnerLeadOpportunityId: string;
	name: string;
	status?: string;
	closeDate?: string;
	currency?: string;
	offerNameId: string;
	amount?: number;
	customer?: { name: string; city: string; country: string };
}

/** Creates a lead-opportunity through the sandbox's v1 API; resolves to its 3DS id. */
export async function createLeadViaApi(sandboxUrl: string, lead: NewLead): Promise<string> {
	const res = await fetch(`${sandboxUrl}/sales/api4partners/v1/leads-opportunities`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'X-API-Key': SANDBOX_API_KEY },
		body: JSON.stringify({
			partnerId: SANDBOX_PARTNER_ID,
			leadOpportunity: {
				partnerLeadOpportunityId: lead.partnerLeadOpportunityId,
				name: lead.name,
				status: lead.status ?? 'QUALIFIED',
				closeDate: lead.closeDate ?? '2026-12-15T00:00:00.000Z',
				currency: lead.currency ?? 'EUR',
			},
			offerLines: [
				{ offerNameId: lead.offerNameId, amount: lead.amount ?? 10_000, revenueType: 'PxC' },
			],
			customerLegalEntity: lead.customer ?? {
				name: 'Nordwerk Fahrzeugtechnik GmbH',
				city: 'Wolfsburg',
				country: 'Germany',
			},
		}),
	});
	const body = (await res.json()) as { dsLeadOpportunityId?: string };
	if (res.status !== 201 || !body.dsLeadOpportunityId) {
		throw new Error(`sandbox create answered ${res.status}: ${JSON.stringify(body)}`);
	}
	return body.dsLeadOpportunityId;
}

// ---------------------------------------------------------------------------------------------
// `n8n execute` whose output goes to a file

/**
 * Replaces each Manual Trigger by a Webhook node of the same name (POST `/webhook/<path>`,
 * answering at once), so that an active workflow runs as a production execution: in queue mode,
 * on a worker. Expressions that read the trigger's item see the webhook's one item instead.
 */
export function manualToWebhook(workflow: WorkflowInput, path: string): WorkflowInput {
	const nodes = (workflow.nodes as WorkflowNode[]).map((node) =>
		node.type === 'n8n-nodes-base.manualTrigger'
			? {
					id: node.id,
					name: node.name,
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: node.position,
					webhookId: randomUUID(),
					parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
				}
			: node,
	);
	return { ...workflow, nodes };
}
