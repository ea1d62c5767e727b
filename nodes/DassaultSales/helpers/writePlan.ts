/**
 * One decision, two ends. Create, Update and Create or Update decide once what an item's write is
 * (create, update what differs, or nothing); a real run carries the decision out, a dry run
 * (Options › Dry Run) reports it and keeps what the write would have left in 3DS, so that later
 * items of the same execution are decided as the real run will decide them.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiVersion, CreateBody, UpdateBody } from '../schemas';
import {
	ALREADY_EXISTS_MESSAGE,
	createLeadOpportunity,
	getLeadOpportunity,
	updateLeadOpportunity,
	type ApiResponse,
	type DassaultSalesClient,
} from '../transport';
import { diffLeadOpportunity } from './leadOpportunityDiff';
import { objectParameter } from './parameters';
import { fieldChanges, storedAfterCreate, storedAfterPatch } from './wouldBeStored';

/** A record as a GET (or a dry run's bookkeeping) has it. */
export interface Stored {
	record: IDataObject;
	response?: ApiResponse;
}

export type Decision =
	| { action: 'create'; body: CreateBody }
	| {
			action: 'update';
			dsLeadOpportunityId: string;
			patch: UpdateBody;
			/** Absent when nothing was compared (Create or Update's Always Write in a real run). */
			changedFields?: string[];
			stored?: Stored;
	  }
	| {
			action: 'unchanged';
			dsLeadOpportunityId: string;
			partnerLeadOpportunityId: string;
			stored: Stored;
	  };

export interface Outcome {
	json: IDataObject;
	response?: ApiResponse;
}

/** Whether "Options › Dry Run" is on for this item. */
export function dryRunWanted(this: IExecuteFunctions, itemIndex: number): boolean {
	return objectParameter.call(this, 'options', itemIndex, 'Options').dryRun === true;
}

/** The real run's end: the POST or PATCH (nothing for "unchanged"). */
export async function carryOut(
	client: DassaultSalesClient,
	version: ApiVersion,
	decision: Decision,
	itemIndex: number,
): Promise<Outcome> {
	if (decision.action === 'unchanged') {
		const { dsLeadOpportunityId, partnerLeadOpportunityId, stored } = decision;
		return {
			json: { dsLeadOpportunityId, partnerLeadOpportunityId, action: 'unchanged' },
			response: stored.response,
		};
	}
	if (decision.action === 'create') {
		const { response, ...result } = await createLeadOpportunity(
			client,
			version,
			decision.body,
			itemIndex,
		);
		return { json: { ...result }, response };
	}
	const { dsLeadOpportunityId, patch, changedFields } = decision;
	const { response, ...result } = await updateLeadOpportunity(
		client,
		version,
		dsLeadOpportunityId,
		patch,
		itemIndex,
	);
	return { json: { ...result, ...(changedFields ? { changedFields } : {}) }, response };
}

const PLANNED = 'planned:';

/**
 * What a dry run's earlier items would have written, per execution and API version: the records
 * they would create (under a stand-in id, as 3DS gives the id only on create) or change.
 */
export class WouldBeWritten {
	private readonly records = new Map<string, IDataObject>();

	/** One per execution and API version (`Execution.wouldBeWritten`). */
	constructor(private readonly version: ApiVersion) {}

	/** The stand-in id of the lead a dry run would create for this partner id; never a 3DS id. */
	static plannedId(partnerLeadOpportunityId: string): string {
		return `${PLANNED}${partnerLeadOpportunityId}`;
	}

	static isPlanned(dsLeadOpportunityId: string): boolean {
		return dsLeadOpportunityId.startsWith(PLANNED);
	}

	/** The record as earlier items would have left it, if they touched it. */
	record(dsLeadOpportunityId: string): Stored | undefined {
		const record = this.records.get(dsLeadOpportunityId);
		return record ? { record } : undefined;
	}

	/** The record 3DS would hold; read (GET) unless an earlier item would have written it. */
	async read(client: DassaultSalesClient, dsLeadOpportunityId: string, itemIndex: number) {
		return (
			this.record(dsLeadOpportunityId) ??
			(await getLeadOpportunity(client, this.version, dsLeadOpportunityId, itemIndex))
		);
	}

	/** Keeps what the decision would leave in 3DS; answers the stand-in id of a would-be create. */
	apply(decision: Decision): string {
		if (decision.action === 'create') {
			const id = WouldBeWritten.plannedId(decision.body.leadOpportunity.partnerLeadOpportunityId);
			this.records.set(id, storedAfterCreate(decision.body, this.version));
			return id;
		}
		const { dsLeadOpportunityId, stored } = decision;
		if (decision.action === 'update' && stored)
			this.records.set(
				dsLeadOpportunityId,
				storedAfterPatch(stored.record, decision.patch, this.version),
			);
		return dsLeadOpportunityId;
	}
}

/** The dry run's end: the decision as an item (action, changed fields, the body it would send). */
export function preview(decision: Decision, state: WouldBeWritten, version: ApiVersion): Outcome {
	const id = state.apply(decision);
	const shown = WouldBeWritten.isPlanned(id) ? null : id;
	const base = { dryRun: true, dsLeadOpportunityId: shown };
	if (decision.action === 'create') {
		const { body } = decision;
		return {
			json: {
				...base,
				partnerLeadOpportunityId: body.leadOpportunity.partnerLeadOpportunityId,
				action: 'wouldCreate',
				// Every field the body sets is new.
				changedFields: diffLeadOpportunity(body, {}, version).changedFields,
				body: body as unknown as IDataObject,
			},
		};
	}
	const { stored } = decision;
	const partnerLeadOpportunityId =
		decision.action === 'update'
			? decision.patch.leadOpportunity.partnerLeadOpportunityId
			: decision.partnerLeadOpportunityId;
	if (decision.action === 'unchanged')
		return {
			json: {
				...base,
				partnerLeadOpportunityId,
				action: 'unchanged',
				changedFields: [],
				body: null,
			},
			response: decision.stored.response,
		};
	const changedFields = decision.changedFields ?? [];
	const changes = stored ? fieldChanges(changedFields, stored.record, decision.patch) : [];
	return {
		json: {
			...base,
			partnerLeadOpportunityId,
			action: 'wouldUpdate',
			changedFields,
			changes: changes as unknown as IDataObject[],
			body: decision.patch as unknown as IDataObject,
		},
		response: stored?.response,
	};
}

/** A dry Create's prediction of the real run's ERR801 refusal. */
export function alreadyExists(
	client: DassaultSalesClient,
	partnerLeadOpportunityId: string,
	ids: readonly string[],
	itemIndex: number,
): NodeOperationError {
	const where = ids.some((id) => WouldBeWritten.isPlanned(id))
		? 'an earlier item of this execution would create it'
		: `3DS holds it as ${ids.join(', ')}`;
	return new NodeOperationError(client.node, `${ALREADY_EXISTS_MESSAGE} [item ${itemIndex}]`, {
		itemIndex,
		description: `Dry run: partner ID "${partnerLeadOpportunityId}": ${where}; a real run would be refused (3DS code ERR801). Use 'Update' or 'Create or Update' instead of 'Create', or give another 'Partner Lead-Opportunity ID'.`,
	});
}
