/**
 * The GETs of a poll: the current version of each id a search returned (docs/trigger-exactness.md,
 * 5. and 6.), a few in flight at once, a passing fault kept instead of thrown so that the GETs
 * that did succeed are not wasted (7.).
 */
import type { IDataObject } from 'n8n-workflow';

import {
	apiError,
	apiErrorCode,
	asNodeError,
	getLeadOpportunity,
	mapWithConcurrency,
	type ApiResponse,
	type DassaultSalesClient,
} from '../DassaultSales/shared';
import { classifyFault, type Fault } from './faults';

/**
 * GETs between two budget checks: two rounds of what the client keeps in flight (its learned
 * limit, transport/requestsInFlight.ts, the one owner of that number).
 */
export const getChunk = (client: DassaultSalesClient) => 2 * client.inFlight.target();

const API_VERSION = 'v1';
/** The 3DS code of a GET for an id that is unknown or out of the partner's scope (docs/api-notes.md D.10). */
const NOT_IN_SCOPE = 'ERROR_048';

/** An id whose GET was not answered: a passing fault came first (`halt`). */
export const NOT_FETCHED = Symbol('not fetched');

export type Fetched =
	| { record: IDataObject; response: ApiResponse }
	| undefined
	| typeof NOT_FETCHED;

/** The modifiedDate of a record in epoch ms, or undefined when it has none we can read. */
export function modifiedMs(record: IDataObject): number | undefined {
	const value = record.modifiedDate;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : ms;
}

/**
 * GETs `ids` (v1, as many at once as the client's in-flight limit lets through, in order); undefined for an id that left the scope. With
 * `halt`, a passing fault is kept there instead of thrown, no further GET starts, and the ids not
 * answered are NOT_FETCHED: the GETs that did succeed are not wasted.
 */
export async function fetchRecords(
	client: DassaultSalesClient,
	ids: readonly string[],
	halt?: { fault?: Fault },
): Promise<Fetched[]> {
	return await mapWithConcurrency(ids, client.inFlight.maximum, async (id) => {
		if (halt?.fault) return NOT_FETCHED;
		try {
			return await getLeadOpportunity(client, API_VERSION, id);
		} catch (error) {
			if (apiErrorCode(error) === NOT_IN_SCOPE) return undefined;
			const fault = halt ? classifyFault(error, client.node) : undefined;
			if (halt && fault?.passing) {
				halt.fault ??= fault;
				return NOT_FETCHED;
			}
			throw asNodeError(client.node, error);
		}
	});
}

/** The fetched records of `ids`, each with a modifiedDate (without one a version cannot be told from the next: refused). */
export async function readFetched(
	client: DassaultSalesClient,
	ids: readonly string[],
	results: Fetched[],
): Promise<Array<{ id: string; record: IDataObject }>> {
	const fetched: Array<{ id: string; record: IDataObject }> = [];
	for (const [index, result] of results.entries()) {
		if (result === undefined || result === NOT_FETCHED) continue;
		const { record, response } = result;
		if (modifiedMs(record) === undefined) {
			throw apiError({
				node: client.node,
				action: `read the modifiedDate of lead-opportunity "${ids[index]}"`,
				statusCode: response.statusCode,
				body: response.body,
				environment: (await client.resolveCredentials()).environment,
				unexpectedShape: true,
			});
		}
		fetched.push({ id: ids[index], record });
	}
	return fetched;
}
