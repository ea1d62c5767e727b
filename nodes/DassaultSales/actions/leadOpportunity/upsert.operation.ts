import type { INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { dryRunOption, operationOptions } from '../../descriptions/common';
import { diffLeadOpportunity } from '../../helpers/leadOpportunityDiff';
import { readCreateInput } from '../../helpers/leadOpportunityBody';
import { validateInput } from '../../helpers/validate';
import {
	carryOut,
	dryRunWanted,
	preview,
	WouldBeWritten,
	type Decision,
	type Outcome,
	type Stored,
} from '../../helpers/writePlan';
import { updateBody, type ApiVersion, type CreateBody } from '../../schemas';
import {
	apiErrorCode,
	asNodeError,
	findByPartnerId,
	getLeadOpportunity,
	type DassaultSalesClient,
} from '../../transport';
import { partnerKey, type Prepare } from '../operation';
import { metadataWanted, toItem } from '../output';
import { createProperties } from './create.operation';
import type { UpsertLookup } from './upsertLookup';

const options = operationOptions([
	{
		displayName: 'Always Write',
		name: 'alwaysWrite',
		type: 'boolean',
		default: false,
		description:
			'Whether to send every field of an existing lead-opportunity even when 3DS already holds the same values. Off: only what differs is sent, and an item 3DS already matches is not written (action "unchanged"), so its modified date does not move and a two-way sync does not echo.',
	},
	dryRunOption,
]);

const properties: INodeProperties[] = [
	{
		displayName:
			'Finds the lead-opportunity by its Partner Lead-Opportunity ID: updates what differs when it exists in 3DS, creates it otherwise',
		name: 'upsertNotice',
		type: 'notice',
		default: '',
	},
	...createProperties.map((property) => (property.name === 'options' ? options : property)),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['leadOpportunity'], operation: ['upsert'] } },
	properties,
);

interface Upsert {
	client: DassaultSalesClient;
	lookup: UpsertLookup;
	version: ApiVersion;
	body: CreateBody;
	itemIndex: number;
	alwaysWrite: boolean;
	/** Set on a dry run: what its earlier items would have written. */
	dryRun?: WouldBeWritten;
}

function several(u: Upsert, ids: string[]): NodeOperationError {
	return new NodeOperationError(
		u.client.node,
		`Several 3DS lead-opportunities have the partner ID "${u.body.leadOpportunity.partnerLeadOpportunityId}" (${ids.join(', ')})`,
		{
			itemIndex: u.itemIndex,
			description: 'Update the one you mean by its 3DS ID with the Update operation.',
		},
	);
}

/** An existing lead-opportunity: update what differs from what 3DS holds (everything with Always Write). */
async function decideExisting(u: Upsert, dsLeadOpportunityId: string): Promise<Decision> {
	const { client, version, body, itemIndex } = u;
	const partnerLeadOpportunityId = body.leadOpportunity.partnerLeadOpportunityId;
	const mapped = u.lookup.takeRecord(dsLeadOpportunityId);
	let patch: unknown = body;
	let changedFields: string[] | undefined;
	let stored: Stored | undefined;
	// A dry run compares with Always Write too: it is there to show what would change.
	if (!u.alwaysWrite || u.dryRun) {
		stored =
			u.dryRun?.record(dsLeadOpportunityId) ??
			mapped ??
			(await getLeadOpportunity(client, version, dsLeadOpportunityId, itemIndex));
		const diff = diffLeadOpportunity(body, stored.record, version);
		if (diff.patch === undefined && !u.alwaysWrite)
			return { action: 'unchanged', dsLeadOpportunityId, partnerLeadOpportunityId, stored };
		if (!u.alwaysWrite) patch = diff.patch;
		changedFields = diff.changedFields;
	}
	// A full create body is a valid PATCH too: every field sent, offer lines and customer replaced.
	const valid = validateInput(updateBody(version), patch, client.node, itemIndex, 'update');
	return { action: 'update', dsLeadOpportunityId, patch: valid, changedFields, stored };
}

/** Create, update what differs, or nothing: decided the same way for a real and a dry run. */
async function decide(u: Upsert): Promise<Decision> {
	const ids = await u.lookup.find(u.body.leadOpportunity.partnerLeadOpportunityId);
	if (ids.length > 1) throw several(u, ids);
	if (ids.length === 1) return await decideExisting(u, ids[0]);
	return { action: 'create', body: u.body };
}

async function upsert(u: Upsert): Promise<Outcome> {
	const { client, lookup, version, itemIndex } = u;
	const partnerLeadOpportunityId = u.body.leadOpportunity.partnerLeadOpportunityId;
	const decision = await decide(u);
	if (u.dryRun) {
		// Later items with this partner id then update the would-be lead, as they will for real.
		if (decision.action === 'create')
			lookup.remember(partnerLeadOpportunityId, WouldBeWritten.plannedId(partnerLeadOpportunityId));
		return preview(decision, u.dryRun, version);
	}
	if (decision.action !== 'create') {
		const { json, response } = await carryOut(client, version, decision, itemIndex);
		return { json: { ...json, action: decision.action }, response };
	}
	try {
		const { json, response } = await carryOut(client, version, decision, itemIndex);
		lookup.remember(partnerLeadOpportunityId, json.dsLeadOpportunityId as string);
		return { json: { ...json, action: 'create' }, response };
	} catch (error) {
		// Created meanwhile (by another execution, or found late by a lagging search index): the
		// create was refused, so update it instead; never create a lead twice.
		if (apiErrorCode(error) !== 'ERR801') throw asNodeError(client.node, error, itemIndex);
		const raced = await findByPartnerId(client, partnerLeadOpportunityId, itemIndex);
		if (raced.length > 1) throw several(u, raced);
		if (raced.length === 0) throw asNodeError(client.node, error, itemIndex);
		lookup.remember(partnerLeadOpportunityId, raced[0]);
		const existing = await decideExisting(u, raced[0]);
		const { json, response } = await carryOut(client, version, existing, itemIndex);
		return { json: { ...json, action: existing.action }, response };
	}
}

export const prepare: Prepare = async function (this, itemIndex, execution) {
	const { client } = execution;
	const { partnerId } = await client.resolveCredentials();
	const { version, body } = readCreateInput.call(this, itemIndex, partnerId);
	const wantsMetadata = metadataWanted.call(this, itemIndex);
	const given = this.getNodeParameter('options.alwaysWrite', itemIndex, false) as unknown;
	const lookup = execution.lookup(version);
	const partnerLeadOpportunityId = body.leadOpportunity.partnerLeadOpportunityId;
	lookup.register(partnerLeadOpportunityId, itemIndex);
	const dryRun = dryRunWanted.call(this, itemIndex) ? execution.wouldBeWritten(version) : undefined;
	const u: Upsert = {
		client,
		lookup,
		version,
		body,
		itemIndex,
		alwaysWrite: given === true,
		dryRun,
	};
	return {
		keys: [partnerKey(partnerLeadOpportunityId)],
		run: async (): Promise<INodeExecutionData[]> => {
			const { json, response } = await upsert(u);
			return [toItem(json, itemIndex, response, wantsMetadata)];
		},
	};
};
