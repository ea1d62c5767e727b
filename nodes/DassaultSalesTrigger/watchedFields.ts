/**
 * The fields the trigger can watch, and how their values are remembered between polls: compact,
 * one string per lead-opportunity, long values hashed. The list is what 3DS changes on a partner's
 * records (docs/api-notes.md: the GET's read-only fields, the status and forecast category 3DS moves,
 * the owner it assigns), plus the close date, next milestone and offer lines both sides edit.
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

export const WATCHABLE_FIELDS = [
	{ name: 'status', label: 'Status' },
	{ name: 'approvalStatus', label: 'Approval Status' },
	{ name: 'forecastCategory', label: 'Forecast Category' },
	{ name: 'poStatus', label: 'PO Status' },
	{ name: 'poNumber', label: 'PO Number' },
	{ name: 'poInformation', label: 'PO Information' },
	{ name: 'dsOwnerEmail', label: '3DS Owner Email' },
	{ name: 'partnerLeadOpportunityId', label: 'Partner Lead-Opportunity ID (Assignment)' },
	{ name: 'closeDate', label: 'Close Date' },
	{ name: 'nextMilestone', label: 'Next Milestone' },
	{ name: 'nextMilestoneDate', label: 'Next Milestone Date' },
	{ name: 'engagementType', label: 'Engagement Type' },
	{ name: 'sboStatus', label: 'SBO Status' },
	{ name: 'sboNumber', label: 'SBO Number' },
	{ name: 'leadPriority', label: 'Lead Priority' },
	{ name: 'levelOfInterest', label: 'Level of Interest' },
	{ name: 'dsComment', label: '3DS Comment' },
	{ name: 'offerLines', label: 'Offer Lines (Offers and Amounts)' },
] as const;

export type WatchedField = (typeof WATCHABLE_FIELDS)[number]['name'];

export const watchableFieldOptions: INodePropertyOptions[] = WATCHABLE_FIELDS.map((field) => ({
	name: field.label,
	value: field.name,
})).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** Values longer than this are remembered as a hash: the change is seen, the old text is not kept. */
export const MAX_KEPT_VALUE_LENGTH = 40;
const SEPARATOR = '|';
/** Markers of a remembered value: a hash, a date-time, a quoted text, a JSON value (offer lines). */
const HASHED = '#';
const DATE = '@';
const TEXT = "'";
const JSON_VALUE = '=';
const MARKED = /^[#@'=]/;

/** FNV-1a, 32 bits, base 36: enough to tell a changed value from an unchanged one. */
function hash(text: string): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h.toString(36);
}

const keepable = (text: string) =>
	text.length <= MAX_KEPT_VALUE_LENGTH && !text.includes(SEPARATOR);

/** One value as remembered: '' when empty, a date-time in base 36, a short text as it is, else a hash. */
function encodeValue(value: unknown): string {
	if (value === null || value === undefined || value === '') return '';
	if (typeof value !== 'string') {
		const text = JSON.stringify(value);
		return keepable(text) ? JSON_VALUE + text : HASHED + hash(text);
	}
	const ms = Date.parse(value);
	if (!Number.isNaN(ms) && new Date(ms).toISOString() === value) return DATE + ms.toString(36);
	if (!keepable(value)) return HASHED + hash(value);
	return MARKED.test(value) ? TEXT + value : value;
}

/** The remembered value back (undefined when only its hash was kept). */
function decodeValue(stored: string): unknown {
	if (stored === '') return null;
	switch (stored.charAt(0)) {
		case HASHED:
			return undefined;
		case DATE:
			return new Date(parseInt(stored.slice(1), 36)).toISOString();
		case TEXT:
			return stored.slice(1);
		case JSON_VALUE:
			return JSON.parse(stored.slice(1)) as unknown;
		default:
			return stored;
	}
}

/** The watched values of a record, as one string (the fields' order is the settings'). */
export function encodeWatched(record: IDataObject, fields: readonly WatchedField[]): string {
	return fields.map((field) => encodeValue(record[field])).join(SEPARATOR);
}

export interface FieldChanges {
	changedFields: WatchedField[];
	/** The previous value of each changed field whose value was kept (not hashed). */
	previous: IDataObject;
}

/** What changed between two remembered versions of the same fields. */
export function compareWatched(
	before: string,
	after: string,
	fields: readonly WatchedField[],
): FieldChanges {
	const old = before.split(SEPARATOR);
	const now = after.split(SEPARATOR);
	const changes: FieldChanges = { changedFields: [], previous: {} };
	fields.forEach((field, i) => {
		if ((old[i] ?? '') === (now[i] ?? '')) return;
		changes.changedFields.push(field);
		const value = decodeValue(old[i] ?? '');
		if (value !== undefined) changes.previous[field] = value as IDataObject[string];
	});
	return changes;
}
