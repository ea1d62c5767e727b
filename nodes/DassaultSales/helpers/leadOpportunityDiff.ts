/**
 * What an upsert must write: the item's body (as validated) against the record a GET returned,
 * compared as the API stores it. Pure: no I/O.
 *
 * Rules (README "Two-way sync"):
 * - Only the fields the body holds are compared; a field the body leaves out is not the item's to set.
 * - A field the GET does not return (key absent), or returns in a shape we cannot compare, counts
 *   as changed: a false "changed" costs one request, a false "unchanged" loses a change.
 * - Empty is empty: `null`, `''` and `[]` hold the same (nothing), as the GET writes an unset
 *   field either way.
 * - Days (closeDate, nextMilestoneDate, offer line dates) compare by calendar day, in UTC as 3DS
 *   holds them (`YYYY-MM-DD` or midnight UTC, the GET documents both). Currency ignores case, e-mails ignore case,
 *   enums are exact. Lists (reasons, competitors, offer lines, contacts) are sets: order is not
 *   a change, a duplicate is.
 * - A PATCH replaces offer lines and contact lists (the sandbox does, and the spec's "only
 *   identification + modified attributes" gives no merge rule for arrays), so a changed list is sent
 *   whole; the customer legal entity is sent whole too (its schema requires name, city, country).
 * - With status WON or LOST the API sets forecastCategory itself (WON/LOST), so the body's value is
 *   not compared then; a status change carries the body's forecastCategory along, so that the
 *   PATCH, applied, yields the body's pair and not a default.
 */
import type { IDataObject } from 'n8n-workflow';

import { toIsoDate, type ApiVersion, type CreateBody, type UpdateBody } from '../schemas';
import { isPlainObject } from '../utils/isPlainObject';

export interface LeadOpportunityDiff {
	/** The PATCH body to send: identification (partnerId, leadOpportunity.partnerLeadOpportunityId) plus every
	 *  field that differs; undefined when the stored record already holds every value of `desired`. */
	patch: UpdateBody | undefined;
	/** Dotted names of what differs, e.g. ['leadOpportunity.status', 'offerLines'] (empty when unchanged). */
	changedFields: string[];
}

/** What a comparison could not read: always a change. */
const UNREADABLE = Symbol('unreadable');
type Canonical = string | number | null | typeof UNREADABLE;

/** Within a record or a list element, an absent key is empty too; a record's own absent field is handled by the caller. */
const isEmpty = (value: unknown) =>
	value === undefined ||
	value === null ||
	value === '' ||
	(Array.isArray(value) && value.length === 0);

const text = (value: unknown): Canonical =>
	isEmpty(value) ? null : typeof value === 'string' ? value : UNREADABLE;

const lowerText = (value: unknown): Canonical => {
	const read = text(value);
	return typeof read === 'string' ? read.trim().toLowerCase() : read;
};

const upperText = (value: unknown): Canonical => {
	const read = text(value);
	return typeof read === 'string' ? read.trim().toUpperCase() : read;
};

/**
 * Days (close date, next milestone date, offer line dates) as calendar days. The body holds
 * midnight UTC of its day (or `YYYY-MM-DD`); 3DS returns `YYYY-MM-DD`, midnight UTC, or an instant
 * whose UTC date is its day. So a CRM's 05:00Z for a day 3DS stores as midnight is unchanged.
 */
const day = (value: unknown): Canonical =>
	isEmpty(value)
		? null
		: typeof value === 'string'
			? (toIsoDate(value, 'UTC') ?? UNREADABLE)
			: UNREADABLE;

const amount = (value: unknown): Canonical => {
	if (isEmpty(value)) return null;
	const number = typeof value === 'string' ? Number(value.trim()) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : UNREADABLE;
};

function sameValue(desired: Canonical, stored: Canonical): boolean {
	return desired !== UNREADABLE && stored !== UNREADABLE && desired === stored;
}

/**
 * A list as a sorted multiset of canonical entries, or UNREADABLE. `entry` returns the canonical
 * tuple of one element, UNREADABLE when the element cannot be read.
 */
function multiset(list: unknown, entry: (element: unknown) => Canonical[] | typeof UNREADABLE) {
	if (list === null || list === '') return [];
	// A list the GET did not return at all cannot be compared.
	if (!Array.isArray(list)) return UNREADABLE;
	const keys: string[] = [];
	for (const element of list) {
		const tuple = entry(element);
		if (tuple === UNREADABLE || tuple.includes(UNREADABLE)) return UNREADABLE;
		keys.push(JSON.stringify(tuple));
	}
	return keys.sort();
}

function sameSet(
	desired: unknown,
	stored: unknown,
	entry: (element: unknown, side: 'desired' | 'stored') => Canonical[] | typeof UNREADABLE,
): boolean {
	const a = multiset(desired, (e) => entry(e, 'desired'));
	const b = multiset(stored, (e) => entry(e, 'stored'));
	return (
		a !== UNREADABLE && b !== UNREADABLE && a.length === b.length && a.every((k, i) => k === b[i])
	);
}

const record = (value: unknown): IDataObject | undefined =>
	isPlainObject(value) ? value : undefined;

const fieldsOf = (element: unknown, read: Record<string, (v: unknown) => Canonical>) => {
	const object = record(element);
	if (!object) return UNREADABLE;
	return Object.entries(read).map(([key, canonical]) => canonical(object[key]));
};

const stringEntry = (element: unknown): Canonical[] => [
	typeof element === 'string' ? element : UNREADABLE,
];

const customerContactFields = {
	email: lowerText,
	firstName: text,
	lastName: text,
	phoneNumber: text,
	salutation: text,
	jobTitle: text,
};

const partnerContactFields = {
	salesRepEmail: lowerText,
	salesRepFirstName: text,
	salesRepLastName: text,
};

/** An offer line as the API stores it; the revenue type defaults as the API applies it. */
function offerLineEntry(version: ApiVersion) {
	return (element: unknown, side: 'desired' | 'stored'): Canonical[] | typeof UNREADABLE => {
		const line = record(element);
		if (!line || typeof line.offerNameId !== 'string') return UNREADABLE;
		let revenueType: Canonical = text(line.revenueType);
		// v1 declares `default: PxC`; v0 declares none, and the sandbox stores EMPTY.
		if (side === 'desired' && line.revenueType === undefined)
			revenueType = version === 'v1' ? 'PxC' : 'EMPTY';
		else if (side === 'stored' && version === 'v0' && revenueType === null) revenueType = 'EMPTY';
		const tuple: Canonical[] = [line.offerNameId, amount(line.amount), revenueType];
		// v0 lines carry no dates in either direction.
		if (version === 'v1') tuple.push(day(line.startDate), day(line.endDate));
		return tuple;
	};
}

type Attribute = (desired: unknown, stored: unknown) => boolean;

const scalar =
	(canonical: (value: unknown) => Canonical): Attribute =>
	(desired, stored) =>
		sameValue(canonical(desired), canonical(stored));

const stringSet: Attribute = (desired, stored) => sameSet(desired, stored, stringEntry);

/** leadOpportunity attributes the body can set, and how each compares. */
const ATTRIBUTES: Record<string, Attribute> = {
	partnerLeadOpportunityId: scalar(text),
	name: scalar(text),
	dsOwnerEmail: scalar(lowerText),
	status: scalar(text),
	forecastCategory: scalar(text),
	closeDate: scalar(day),
	cometCampaignCode: scalar(text),
	reasonWon: stringSet,
	reasonLost: stringSet,
	competitors: stringSet,
	reasonWonLostComment: scalar(text),
	gtmTacticId: scalar(text),
	description: scalar(text),
	nextMilestone: scalar(text),
	nextMilestoneDate: scalar(day),
	currency: scalar(upperText),
};

/** Anything we have no rule for: equal only when the stored JSON is the same. */
const unknownAttribute: Attribute = (desired, stored) =>
	stored !== undefined && JSON.stringify(desired) === JSON.stringify(stored);

/** The GET's value of a field; `undefined` means the GET did not return it (a change). */
const storedValue = (stored: IDataObject, key: string): unknown => stored[key];

/** Statuses whose forecastCategory the API sets itself. */
const SYSTEM_FORECAST: Record<string, string> = { WON: 'WON', LOST: 'LOST' };

/** The attributes of `leadOpportunity` that differ, with the forecast category a status change needs. */
function diffAttributes(
	desired: CreateBody,
	stored: IDataObject,
	changedFields: string[],
): IDataObject {
	const wanted = desired.leadOpportunity as unknown as IDataObject;
	const leadOpportunity: IDataObject = {
		partnerLeadOpportunityId: desired.leadOpportunity.partnerLeadOpportunityId,
	};
	const status = typeof wanted.status === 'string' ? wanted.status : stored.status;
	const statusChanges =
		wanted.status !== undefined &&
		(stored.status === undefined || !ATTRIBUTES.status(wanted.status, stored.status));
	for (const [key, value] of Object.entries(wanted)) {
		if (value === undefined) continue;
		const stays = storedValue(stored, key);
		let same: boolean;
		if (stays === undefined) same = false;
		else if (key === 'forecastCategory' && typeof status === 'string' && SYSTEM_FORECAST[status])
			// Moving to WON/LOST sets it; staying there, it must already be the system's value.
			same = statusChanges || stays === SYSTEM_FORECAST[status];
		else same = (ATTRIBUTES[key] ?? unknownAttribute)(value, stays);
		if (same) continue;
		changedFields.push(`leadOpportunity.${key}`);
		leadOpportunity[key] = value;
	}
	// A status change alone would let the API default the forecast category; send the body's own
	// (not with WON/LOST, whose category only the API sets).
	if (
		leadOpportunity.status !== undefined &&
		wanted.forecastCategory !== undefined &&
		!(typeof status === 'string' && SYSTEM_FORECAST[status])
	)
		leadOpportunity.forecastCategory = wanted.forecastCategory;
	return leadOpportunity;
}

/** Offer lines and contact lists: a PATCH replaces a list, so one that differs is sent whole. */
function diffLists(
	desired: CreateBody,
	stored: IDataObject,
	version: ApiVersion,
	changedFields: string[],
	patch: IDataObject,
): void {
	// An update body (a dry Update compares one) may leave the offer lines out.
	if (
		desired.offerLines !== undefined &&
		!sameSet(desired.offerLines, storedValue(stored, 'offerLines'), offerLineEntry(version))
	) {
		changedFields.push('offerLines');
		patch.offerLines = desired.offerLines as unknown as IDataObject[];
	}
	const contactLists = [
		['customerContacts', 'customerContact', customerContactFields],
		['partnerContacts', 'partnerContact', partnerContactFields],
	] as const;
	for (const [requestName, getName, fields] of contactLists) {
		const value = desired[requestName];
		if (value === undefined) continue;
		// The GET names these lists in the singular; a plural one is read as a fallback.
		const stays = stored[getName] !== undefined ? stored[getName] : stored[requestName];
		if (sameSet(value, stays, (element) => fieldsOf(element, fields))) continue;
		changedFields.push(requestName);
		patch[requestName] = value as unknown as IDataObject[];
	}
}

/** The customer legal entity, sent whole when one of its fields differs. */
function diffEntity(
	desired: CreateBody,
	stored: IDataObject,
	changedFields: string[],
	patch: IDataObject,
): void {
	const entity = desired.customerLegalEntity as unknown as IDataObject | undefined;
	if (entity === undefined) return;
	const storedEntity = record(stored.customerLegalEntity);
	let entityChanged = false;
	for (const [key, value] of Object.entries(entity)) {
		if (value === undefined) continue;
		const stays = storedEntity ? storedEntity[key] : undefined;
		if (sameValue(text(value), stays === undefined ? UNREADABLE : text(stays))) continue;
		changedFields.push(`customerLegalEntity.${key}`);
		entityChanged = true;
	}
	if (entityChanged) patch.customerLegalEntity = entity;
}

/** `stored` is the GET response's `data.leadOpportunity` as the transport returns it. When in doubt, changed. */
export function diffLeadOpportunity(
	desired: CreateBody,
	stored: IDataObject,
	version: ApiVersion,
): LeadOpportunityDiff {
	const changedFields: string[] = [];
	const leadOpportunity = diffAttributes(desired, stored, changedFields);
	const patch: IDataObject = { partnerId: desired.partnerId, leadOpportunity };
	diffLists(desired, stored, version, changedFields, patch);
	diffEntity(desired, stored, changedFields, patch);
	return {
		patch: changedFields.length === 0 ? undefined : (patch as unknown as UpdateBody),
		changedFields,
	};
}
