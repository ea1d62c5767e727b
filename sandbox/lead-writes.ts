// Turning a validated create/update body into store state. Only the attributes the spec defines
// are read: the schemas allow extra keys, and storing them would leak into GET responses.
import { DEFAULT_REASON_LOST, DEFAULT_REASON_WON, forecastFor, PRIMARY_PSM } from './lead-rules';
import type {
	ApiVersion,
	CustomerContact,
	CustomerLegalEntity,
	LeadOpportunity,
	LeadWriteBody,
	PartnerContact,
	RequestLeadAttributes,
} from './types';
import type { DayStorage } from './options';
import { isoMidnight } from './time';
import { offerLinesFromRequest } from './versions';

// Writable attributes (lead-opportunity_attributes) other than status/forecast, which have rules.
const PLAIN_ATTRIBUTES = [
	'partnerLeadOpportunityId',
	'name',
	'dsOwnerEmail',
	'cometCampaignCode',
	'reasonWon',
	'reasonLost',
	'competitors',
	'reasonWonLostComment',
	'gtmTacticId',
	'description',
	'nextMilestone',
	'currency',
] as const;

const ENTITY_KEYS: ReadonlyArray<keyof CustomerLegalEntity> = [
	'id',
	'dunsNumber',
	'vatNumber',
	'registrationId',
	'name',
	'city',
	'country',
	'addressLine1',
	'statePrefecture',
	'addressLine2',
	'zipCode',
	'websiteUrl',
];

/** Days are stored normalised to UTC with milliseconds, as the API returns them; `midnight`: that UTC day's midnight. */
const normalise = (dateTime: string, days: DayStorage) =>
	days === 'midnight' ? isoMidnight(Date.parse(dateTime)) : new Date(dateTime).toISOString();

function pick<T extends object>(source: T, keys: ReadonlyArray<keyof T>): Partial<T> {
	const out: Partial<T> = {};
	for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
	return out;
}

function customerContacts(contacts: readonly CustomerContact[]): CustomerContact[] {
	return contacts.map(
		(c) =>
			pick(c, [
				'phoneNumber',
				'salutation',
				'jobTitle',
				'email',
				'firstName',
				'lastName',
			]) as CustomerContact,
	);
}

function partnerContacts(contacts: readonly PartnerContact[]): PartnerContact[] {
	return contacts.map(
		(c) => pick(c, ['salesRepEmail', 'salesRepFirstName', 'salesRepLastName']) as PartnerContact,
	);
}

/** A new lead (without created/modified dates, which the store stamps) with the creation defaults. */
export function leadFromCreate(
	version: ApiVersion,
	body: LeadWriteBody,
	id: string,
	days: DayStorage = 'as-sent',
): Omit<LeadOpportunity, 'createdDate' | 'modifiedDate'> {
	const attrs = body.leadOpportunity as Required<
		Pick<
			RequestLeadAttributes,
			'partnerLeadOpportunityId' | 'name' | 'status' | 'closeDate' | 'currency'
		>
	> &
		RequestLeadAttributes;
	const entity = body.customerLegalEntity ?? {};
	return {
		partnerLeadOpportunityId: attrs.partnerLeadOpportunityId,
		dsLeadOpportunityId: id,
		name: attrs.name,
		dsOwnerEmail: attrs.dsOwnerEmail ?? PRIMARY_PSM,
		status: attrs.status,
		forecastCategory: forecastFor(attrs.status, attrs.forecastCategory, undefined),
		closeDate: normalise(attrs.closeDate, days),
		cometCampaignCode: attrs.cometCampaignCode ?? null,
		competitors: attrs.competitors ?? null,
		reasonWon: attrs.reasonWon ?? [DEFAULT_REASON_WON],
		reasonLost: attrs.reasonLost ?? [DEFAULT_REASON_LOST],
		reasonWonLostComment: attrs.reasonWonLostComment ?? '',
		gtmTacticId: attrs.gtmTacticId ?? null,
		description: attrs.description ?? '',
		nextMilestone: attrs.nextMilestone ?? '',
		nextMilestoneDate:
			attrs.nextMilestoneDate === undefined ? '' : normalise(attrs.nextMilestoneDate, days),
		currency: attrs.currency,
		// Read-only fields 3DS fills in later; a partner-created lead starts with these.
		approvalStatus: 'PRE_APPROVED',
		engagementType: 'EMPTY',
		poInformation: '',
		poStatus: null,
		poNumber: null,
		sboIndicator: 'EMPTY',
		sboStatus: null,
		sboNumber: null,
		growthType: 'EMPTY',
		leadPriority: 'EMPTY',
		levelOfInterest: 'EMPTY',
		dsComment: '',
		partnerImportMode: 'API',
		offerLines: offerLinesFromRequest(version, body.offerLines ?? []),
		customerLegalEntity: Object.fromEntries(
			ENTITY_KEYS.map((key) => [key, entity[key] ?? null]),
		) as unknown as CustomerLegalEntity,
		customerContact: body.customerContacts ? customerContacts(body.customerContacts) : null,
		partnerContact: body.partnerContacts ? partnerContacts(body.partnerContacts) : null,
	};
}

/**
 * Merges an update into a stored lead: only the attributes sent change; offerLines and the
 * contact lists, when sent, replace the stored lists; customerLegalEntity merges field by field.
 */
export function applyUpdate(
	version: ApiVersion,
	lead: LeadOpportunity,
	body: LeadWriteBody,
	days: DayStorage = 'as-sent',
): void {
	const attrs = body.leadOpportunity;
	Object.assign(lead, pick(attrs, PLAIN_ATTRIBUTES));
	if (attrs.closeDate !== undefined) lead.closeDate = normalise(attrs.closeDate, days);
	if (attrs.nextMilestoneDate !== undefined)
		lead.nextMilestoneDate = normalise(attrs.nextMilestoneDate, days);
	if (attrs.status !== undefined || attrs.forecastCategory !== undefined) {
		lead.status = attrs.status ?? lead.status;
		lead.forecastCategory = forecastFor(lead.status, attrs.forecastCategory, lead.forecastCategory);
	}
	if (body.offerLines) lead.offerLines = offerLinesFromRequest(version, body.offerLines);
	if (body.customerLegalEntity)
		Object.assign(lead.customerLegalEntity, pick(body.customerLegalEntity, ENTITY_KEYS));
	if (body.customerContacts) lead.customerContact = customerContacts(body.customerContacts);
	if (body.partnerContacts) lead.partnerContact = partnerContacts(body.partnerContacts);
}
