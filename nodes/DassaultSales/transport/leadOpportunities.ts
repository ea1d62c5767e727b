/**
 * The lead-opportunity calls, shared by the action node's operations and the trigger. They take
 * bodies that a zod schema already validated and return normalised results: create and update
 * both give `{ dsLeadOpportunityId, partnerLeadOpportunityId, action }`, get gives the record.
 */
import type { IDataObject } from 'n8n-workflow';

import { mapWithConcurrency } from '../utils/scheduler';
import { splitIntoWindows } from '../utils/windows';
import {
	MAX_SEARCH_WINDOW_MS,
	responses,
	searchBody,
	type ApiVersion,
	type CreateBody,
	type SearchCriteria,
	type UpdateBody,
} from '../schemas';
import type { ApiResponse, DassaultSalesClient } from './client';
import { apiErrorCode, asNodeError } from './errors';
import { paths } from './paths';

export interface WriteResult {
	dsLeadOpportunityId: string;
	partnerLeadOpportunityId: string;
	action: string;
	/** The answer the result came from; absent when it was recovered by a lookup. */
	response?: ApiResponse;
}

/** The ids matching `criteria`, a modified-date range split into 7-day windows, without duplicates. */
export async function searchIds(
	client: DassaultSalesClient,
	criteria: SearchCriteria,
	itemIndex?: number,
	options: { limit?: number; windowMs?: number } = {},
): Promise<string[]> {
	const windows = criteria.modifiedDate
		? splitIntoWindows(
				Date.parse(criteria.modifiedDate.fromDate),
				Date.parse(criteria.modifiedDate.toDate),
				options.windowMs ?? MAX_SEARCH_WINDOW_MS,
			)
		: [undefined];
	const ids = new Set<string>();
	for (const window of windows) {
		const body = searchBody.parse({
			data: [
				...(window ? [{ modifiedDate: window }] : []),
				...(criteria.partnerLeadOpportunityId !== undefined
					? [{ partnerLeadOpportunityId: criteria.partnerLeadOpportunityId }]
					: []),
			],
		});
		const { data: result } = await client.requestParsed(
			{
				method: 'POST',
				path: paths.search(),
				body: body as unknown as IDataObject,
				action: 'search lead-opportunities',
				itemIndex,
				safeToRetry: true,
			},
			responses.searchResponse,
		);
		for (const group of result.data) for (const id of group.dsLeadOpportunityId ?? []) ids.add(id);
		if (options.limit !== undefined && ids.size >= options.limit) break;
	}
	const all = [...ids];
	return options.limit !== undefined ? all.slice(0, options.limit) : all;
}

export async function getLeadOpportunity(
	client: DassaultSalesClient,
	version: ApiVersion,
	dsLeadOpportunityId: string,
	itemIndex?: number,
): Promise<{ record: IDataObject; response: ApiResponse }> {
	const { data, response } = await client.requestParsed(
		{
			method: 'GET',
			path: paths.leadOpportunity(version, dsLeadOpportunityId),
			action: `get lead-opportunity "${dsLeadOpportunityId}"`,
			itemIndex,
			safeToRetry: true,
			dsLeadOpportunityId,
		},
		responses.getResponse,
	);
	return { record: data.data.leadOpportunity as IDataObject, response };
}

/** GETs every id, `concurrency` at a time, results in the order of `ids`. */
export async function getLeadOpportunities(
	client: DassaultSalesClient,
	version: ApiVersion,
	ids: readonly string[],
	concurrency: number,
	itemIndex?: number,
) {
	return await mapWithConcurrency(ids, concurrency, async (id) =>
		getLeadOpportunity(client, version, id, itemIndex),
	);
}

/** The 3DS ids of the lead-opportunities with this partner id (normally zero or one). */
export async function findByPartnerId(
	client: DassaultSalesClient,
	partnerLeadOpportunityId: string,
	itemIndex?: number,
): Promise<string[]> {
	return await searchIds(
		client,
		{ partnerLeadOpportunityId: [partnerLeadOpportunityId] },
		itemIndex,
	);
}

/**
 * POST. Idempotent: when an attempt whose answer was lost (connection reset, gateway timeout) had in
 * fact created the lead-opportunity, the retry answers ERR801; the lead is then looked up by its
 * partner id and returned as created, instead of failing or creating it twice.
 */
export async function createLeadOpportunity(
	client: DassaultSalesClient,
	version: ApiVersion,
	body: CreateBody,
	itemIndex?: number,
): Promise<WriteResult> {
	const partnerLeadOpportunityId = body.leadOpportunity.partnerLeadOpportunityId;
	try {
		const { data, response } = await client.requestParsed(
			{
				method: 'POST',
				path: paths.leadOpportunities(version),
				body: body as unknown as IDataObject,
				action: 'create the lead-opportunity',
				itemIndex,
				safeToRetry: true,
			},
			responses.createResponse,
		);
		return {
			dsLeadOpportunityId: data.dsLeadOpportunityId,
			partnerLeadOpportunityId: data.partnerLeadOpportunityId ?? partnerLeadOpportunityId,
			action: data.action ?? 'create',
			response,
		};
	} catch (error) {
		const lostAnswer =
			apiErrorCode(error) === 'ERR801' &&
			(error as { context: IDataObject }).context.retriedAfterUncertainFailure === true;
		if (!lostAnswer) throw asNodeError(client.node, error, itemIndex);
		const [dsLeadOpportunityId, ...others] = await findByPartnerId(
			client,
			partnerLeadOpportunityId,
			itemIndex,
		);
		if (dsLeadOpportunityId === undefined || others.length > 0)
			throw asNodeError(client.node, error, itemIndex);
		return { dsLeadOpportunityId, partnerLeadOpportunityId, action: 'create' };
	}
}

/** PATCH: only the fields in `body` change. Sending the same PATCH twice sets the same values, so it is retried. */
export async function updateLeadOpportunity(
	client: DassaultSalesClient,
	version: ApiVersion,
	dsLeadOpportunityId: string,
	body: UpdateBody,
	itemIndex?: number,
): Promise<WriteResult> {
	const { data: result, response } = await client.requestParsed(
		{
			method: 'PATCH',
			path: paths.leadOpportunity(version, dsLeadOpportunityId),
			body: body as unknown as IDataObject,
			action: `update lead-opportunity "${dsLeadOpportunityId}"`,
			itemIndex,
			safeToRetry: true,
			dsLeadOpportunityId,
		},
		responses.updateResponse,
	);
	const { data } = result;
	return {
		dsLeadOpportunityId: data.dsLeadOpportunityId ?? dsLeadOpportunityId,
		partnerLeadOpportunityId:
			data.partnerLeadOpportunityId ?? body.leadOpportunity.partnerLeadOpportunityId,
		action: data.action ?? 'update',
		response,
	};
}
