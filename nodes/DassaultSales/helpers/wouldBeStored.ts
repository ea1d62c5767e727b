/**
 * A dry run's view of what 3DS would hold after a write it does not send, so that a later item of
 * the same execution (the same partner id created, then updated) is compared as a real run would
 * compare it against its GET. Pure: no I/O.
 *
 * What the spec says a create fills in is filled in (reasonWon, reasonLost, the forecast category
 * by status, the v1 offer line's revenue type, empty for the other attributes and customer
 * fields); what it does not say (dsOwnerEmail's primary PSM, a lead stage's forecast category, the
 * category after a status change without one) is left out, and the diff counts a field left out
 * as changed: a dry run then predicts an update where the real run might find nothing to write,
 * never the reverse.
 */
import type { IDataObject } from 'n8n-workflow';

import { customerLegalEntity, type ApiVersion, type CreateBody, type UpdateBody } from '../schemas';

/** forecastCategory when a create gives none (API-NOTES, forecastCategory defaulting matrix). */
const CREATION_FORECAST: Record<string, string> = {
	OPPY_OPEN: 'UPSIDE',
	VALIDATED: 'UPSIDE',
	ESTABLISHED: 'UPSIDE',
	WON: 'WON',
	LOST: 'LOST',
};

/** Statuses whose forecastCategory a create ignores, and WON/LOST, whose category the API sets. */
const LEAD_STAGES = ['LEAD_OPEN', 'QUALIFIED', 'ACCEPTED'];
const SYSTEM_FORECAST: Record<string, string> = { WON: 'WON', LOST: 'LOST' };

/** Attributes a create leaves empty when the body has none (the GET writes null or ''). */
const EMPTY_AT_CREATION = [
	'cometCampaignCode',
	'competitors',
	'reasonWonLostComment',
	'gtmTacticId',
	'description',
	'nextMilestone',
	'nextMilestoneDate',
];

const withRevenueType = (lines: unknown, version: ApiVersion): unknown =>
	Array.isArray(lines) && version === 'v1'
		? lines.map((line: IDataObject) =>
				typeof line === 'object' && line !== null && line.revenueType === undefined
					? { ...line, revenueType: 'PxC' }
					: line,
			)
		: lines;

/** The status-dependent forecast category after a write that sets `status`. */
function forecastAfter(record: IDataObject, given: unknown, creating: boolean): void {
	const status = typeof record.status === 'string' ? record.status : '';
	if (SYSTEM_FORECAST[status]) record.forecastCategory = SYSTEM_FORECAST[status];
	else if (LEAD_STAGES.includes(status) && creating) delete record.forecastCategory;
	else if (given !== undefined) record.forecastCategory = given as string;
	else if (creating && CREATION_FORECAST[status])
		record.forecastCategory = CREATION_FORECAST[status];
	// A status change without a category: the API picks one we cannot know.
	else delete record.forecastCategory;
}

/** The record a GET would return after creating `body`, in the GET's shape. */
export function storedAfterCreate(body: CreateBody, version: ApiVersion): IDataObject {
	const given = body.leadOpportunity as unknown as IDataObject;
	const record: IDataObject = {
		reasonWon: ['STRNG_VAL_PROP'],
		reasonLost: ['NO_PROJECT'],
		...Object.fromEntries(EMPTY_AT_CREATION.map((key) => [key, null])),
	};
	for (const [key, value] of Object.entries(given)) if (value !== undefined) record[key] = value;
	forecastAfter(record, given.forecastCategory, true);
	record.offerLines = withRevenueType(body.offerLines ?? [], version) as IDataObject[];
	// Every customer field the body leaves out is empty (the GET returns each, null when unset).
	record.customerLegalEntity = {
		...Object.fromEntries(Object.keys(customerLegalEntity.shape).map((key) => [key, null])),
		...(body.customerLegalEntity as unknown as IDataObject),
	};
	record.customerContact = (body.customerContacts ?? null) as unknown as IDataObject[];
	record.partnerContact = (body.partnerContacts ?? null) as unknown as IDataObject[];
	return record;
}

/** `record` once `patch` is applied: attributes set, lists replaced, the customer merged. */
export function storedAfterPatch(
	record: IDataObject,
	patch: UpdateBody,
	version: ApiVersion,
): IDataObject {
	const given = patch.leadOpportunity as unknown as IDataObject;
	const next: IDataObject = { ...record };
	for (const [key, value] of Object.entries(given)) if (value !== undefined) next[key] = value;
	if (given.status !== undefined) forecastAfter(next, given.forecastCategory, false);
	if (patch.offerLines !== undefined)
		next.offerLines = withRevenueType(patch.offerLines, version) as IDataObject[];
	if (patch.customerContacts !== undefined)
		next.customerContact = patch.customerContacts as unknown as IDataObject[];
	if (patch.partnerContacts !== undefined)
		next.partnerContact = patch.partnerContacts as unknown as IDataObject[];
	if (patch.customerLegalEntity !== undefined)
		next.customerLegalEntity = {
			...((record.customerLegalEntity as IDataObject | undefined) ?? {}),
			...(patch.customerLegalEntity as unknown as IDataObject),
		};
	return next;
}

/** A field of the diff's `changedFields` (e.g. 'leadOpportunity.name', 'offerLines') in a body. */
function inBody(body: IDataObject, field: string): unknown {
	const [head, key] = field.split('.');
	const value = body[head];
	return key === undefined ? value : (value as IDataObject | undefined)?.[key];
}

/** The same field in a GET's record, whose lead attributes are top-level and contact lists singular. */
function inRecord(record: IDataObject, field: string): unknown {
	const [head, key] = field.split('.');
	if (head === 'leadOpportunity') return record[key];
	if (key !== undefined) return (record[head] as IDataObject | undefined)?.[key];
	const singular = head.replace(/s$/, '');
	return record[singular] !== undefined ? record[singular] : record[head];
}

export interface FieldChange {
	field: string;
	current: unknown;
	new: unknown;
}

/** Each changed field's value in 3DS and in the body; one entry per field, for a table or a sheet. */
export function fieldChanges(
	changedFields: readonly string[],
	record: IDataObject,
	body: CreateBody | UpdateBody,
): FieldChange[] {
	return changedFields.map((field) => ({
		field,
		current: inRecord(record, field) ?? null,
		new: inBody(body as unknown as IDataObject, field) ?? null,
	}));
}
