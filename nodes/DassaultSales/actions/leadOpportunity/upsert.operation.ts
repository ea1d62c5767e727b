import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { operationOptions } from '../../descriptions/common';
import { diffLeadOpportunity } from '../../helpers/leadOpportunityDiff';
import { readCreateInput } from '../../helpers/leadOpportunityBody';
import { validateInput } from '../../helpers/validate';
import { updateBody, type ApiVersion, type CreateBody } from '../../schemas';
import {
	apiErrorCode,
	asNodeError,
	createLeadOpportunity,
	findByPartnerId,
	getLeadOpportunity,
	updateLeadOpportunity,
	type ApiResponse,
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
}

interface Outcome {
	json: IDataObject;
	response?: ApiResponse;
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

/** An existing lead-opportunity: PATCH what differs from what 3DS holds (everything with Always Write). */
async function updateExisting(u: Upsert, dsLeadOpportunityId: string): Promise<Outcome> {
	const { client, version, body, itemIndex } = u;
	const partnerLeadOpportunityId = body.leadOpportunity.partnerLeadOpportunityId;
	const mapped = u.lookup.takeRecord(dsLeadOpportunityId);
	let patch: unknown = body;
	let changedFields: string[] | undefined;
	if (!u.alwaysWrite) {
		const stored =
			mapped ?? (await getLeadOpportunity(client, version, dsLeadOpportunityId, itemIndex));
		const diff = diffLeadOpportunity(body, stored.record, version);
		if (diff.patch === undefined) {
			return {
				json: { dsLeadOpportunityId, partnerLeadOpportunityId, action: 'unchanged' },
				response: stored.response,
			};
		}
		patch = diff.patch;
		changedFields = diff.changedFields;
	}
	// A full create body is a valid PATCH too: every field sent, offer lines and customer replaced.
	const valid = validateInput(updateBody(version), patch, client.node, itemIndex, 'update');
	const { response, ...result } = await updateLeadOpportunity(
		client,
		version,
		dsLeadOpportunityId,
		valid,
		itemIndex,
	);
	return {
		json: { ...result, action: 'update', ...(changedFields ? { changedFields } : {}) },
		response,
	};
}

async function upsert(u: Upsert): Promise<Outcome> {
	const { client, lookup, version, body, itemIndex } = u;
	const partnerLeadOpportunityId = body.leadOpportunity.partnerLeadOpportunityId;
	const ids = await lookup.find(partnerLeadOpportunityId);
	if (ids.length > 1) throw several(u, ids);
	if (ids.length === 1) return await updateExisting(u, ids[0]);
	try {
		const { response, ...result } = await createLeadOpportunity(client, version, body, itemIndex);
		lookup.remember(partnerLeadOpportunityId, result.dsLeadOpportunityId);
		return { json: { ...result, action: 'create' }, response };
	} catch (error) {
		// Created meanwhile (by another execution, or found late by a lagging search index): the
		// create was refused, so update it instead; never create a lead twice.
		if (apiErrorCode(error) !== 'ERR801') throw asNodeError(client.node, error, itemIndex);
		const raced = await findByPartnerId(client, partnerLeadOpportunityId, itemIndex);
		if (raced.length > 1) throw several(u, raced);
		if (raced.length === 0) throw asNodeError(client.node, error, itemIndex);
		lookup.remember(partnerLeadOpportunityId, raced[0]);
		return await updateExisting(u, raced[0]);
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
	const u: Upsert = { client, lookup, version, body, itemIndex, alwaysWrite: given === true };
	return {
		keys: [partnerKey(partnerLeadOpportunityId)],
		run: async (): Promise<INodeExecutionData[]> => {
			const { json, response } = await upsert(u);
			return [toItem(json, itemIndex, response, wantsMetadata)];
		},
	};
};
