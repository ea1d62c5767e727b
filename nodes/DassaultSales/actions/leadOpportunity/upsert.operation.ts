import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { readCreateInput } from '../../helpers/leadOpportunityBody';
import { validateInput } from '../../helpers/validate';
import { updateBody, type ApiVersion, type CreateBody } from '../../schemas';
import {
	apiErrorCode,
	asNodeError,
	createLeadOpportunity,
	findByPartnerId,
	updateLeadOpportunity,
	type DassaultSalesClient,
	type WriteResult,
} from '../../transport';
import { metadataWanted, toItem } from '../output';
import { createProperties } from './create.operation';

const properties: INodeProperties[] = [
	{
		displayName:
			'Finds the lead-opportunity by its Partner Lead-Opportunity ID: updates it when it exists in 3DS, creates it otherwise',
		name: 'upsertNotice',
		type: 'notice',
		default: '',
	},
	...createProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['leadOpportunity'], operation: ['upsert'] } },
	properties,
);

async function update(
	this: IExecuteFunctions,
	client: DassaultSalesClient,
	version: ApiVersion,
	dsLeadOpportunityId: string,
	body: CreateBody,
	itemIndex: number,
): Promise<WriteResult> {
	// A full create body is a valid PATCH: every field is sent, offer lines and customer replaced.
	const patch = validateInput(updateBody(version), body, this.getNode(), itemIndex, 'update');
	const result = await updateLeadOpportunity(
		client,
		version,
		dsLeadOpportunityId,
		patch,
		itemIndex,
	);
	return { ...result, action: 'update' };
}

async function findOne(
	this: IExecuteFunctions,
	client: DassaultSalesClient,
	partnerLeadOpportunityId: string,
	itemIndex: number,
): Promise<string | undefined> {
	const ids = await findByPartnerId(client, partnerLeadOpportunityId, itemIndex);
	if (ids.length > 1) {
		throw new NodeOperationError(
			this.getNode(),
			`Several 3DS lead-opportunities have the partner ID "${partnerLeadOpportunityId}" (${ids.join(', ')})`,
			{
				itemIndex,
				description: 'Update the one you mean by its 3DS ID with the Update operation.',
			},
		);
	}
	return ids[0];
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: DassaultSalesClient,
): Promise<INodeExecutionData[]> {
	const { version, body } = await readCreateInput.call(this, itemIndex, client);
	const wantsMetadata = metadataWanted.call(this, itemIndex);
	const partnerLeadOpportunityId = body.leadOpportunity.partnerLeadOpportunityId;

	let result: WriteResult;
	const existing = await findOne.call(this, client, partnerLeadOpportunityId, itemIndex);
	if (existing !== undefined) {
		result = await update.call(this, client, version, existing, body, itemIndex);
	} else {
		try {
			result = {
				...(await createLeadOpportunity(client, version, body, itemIndex)),
				action: 'create',
			};
		} catch (error) {
			// Created by someone else between our search and our create: update it instead.
			if (apiErrorCode(error) !== 'ERR801') throw asNodeError(this.getNode(), error, itemIndex);
			const raced = await findOne.call(this, client, partnerLeadOpportunityId, itemIndex);
			if (raced === undefined) throw asNodeError(this.getNode(), error, itemIndex);
			result = await update.call(this, client, version, raced, body, itemIndex);
		}
	}
	const { response, ...output } = result;
	return [toItem(output, itemIndex, response, wantsMetadata)];
}
