// Deterministic lead-opportunities for the seeded store and for admin-created marketing leads.
import {
	DEFAULT_REASON_LOST,
	DEFAULT_REASON_WON,
	forecastFor,
	LEAD_STAGES,
	PRIMARY_PSM,
} from './lead-rules';
import type { Rng } from './prng';
import {
	COMPETITORS,
	CUSTOMERS,
	DESCRIPTIONS,
	FIRST_NAMES,
	JOB_TITLES,
	LAST_NAMES,
	MILESTONES,
	PROJECT_TOPICS,
	PSM_EMAILS,
	SALUTATIONS,
	WON_LOST_COMMENTS,
	type CustomerSeed,
} from './seed-data';
import { DAY_MS, isoDate, isoMidnight, isoMs } from './time';
import type {
	CustomerContact,
	CustomerLegalEntity,
	LeadOpportunity,
	LeadStatus,
	OfferLine,
	PartnerContact,
	PortfolioItem,
	RevenueType,
} from './types';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const DIGITS = '0123456789';
const SEED_WINDOW_DAYS = 120;

/** A 3DS id: `HCRQ-F1LLDE`. */
export function dsId(rng: Rng): string {
	return `${rng.chars(4, ALNUM)}-${rng.chars(6, ALNUM)}`;
}

const STATUS_WEIGHTS: ReadonlyArray<readonly [LeadStatus, number]> = [
	['LEAD_OPEN', 20],
	['QUALIFIED', 10],
	['ACCEPTED', 8],
	['OPPY_OPEN', 15],
	['VALIDATED', 12],
	['ESTABLISHED', 10],
	['WON', 13],
	['LOST', 12],
];

// Mostly today's vocabulary, with some legacy lines that v1 can read but not write.
const REVENUE_WEIGHTS: ReadonlyArray<readonly [RevenueType, number]> = [
	['PxC', 40],
	['YxC', 25],
	['QxC', 10],
	['SxC', 8],
	['SUPPORT_SERVICES', 10],
	['EMPTY', 7],
];

const REASONS_WON = [
	'SOLUTION_FUNCT',
	'STRNG_VAL_PROP',
	'LWR_CST_OF_OWNRSHIP',
	'GOOD_CSTMR_REFER',
	'PRTNR_SKILL_&_EXPRT',
	'STRONG_CLIENT_RELATION',
];
const REASONS_LOST = [
	'BETTER_COMP_OFFER',
	'CLIENT_HAS_NO_MORE_BUDGET',
	'FUNC_GAP',
	'SOFT_COST_TOO_HIGH',
	'NO_PROJECT',
	'IMMATURE_PROJECT',
	'LOST_TO_ANOTHER_PARTNER',
];

export interface LeadDraft {
	/** How the partner id looks: a CRM id, absent, or '' (the two shapes of an unassigned lead). */
	partnerId: 'crm' | 'absent' | 'empty';
	status: LeadStatus;
	createdMs: number;
	modifiedMs: number;
	marketing: boolean;
}

/** `Lucía de Vries` → `lucia.devries`: mail addresses keep to ASCII. */
function mailbox(first: string, last: string): string {
	return `${first}.${last}`
		.normalize('NFD')
		.replace(/[^A-Za-z.]/g, '')
		.toLowerCase();
}

function shortName(customer: CustomerSeed): string {
	return customer.name.split(/\s+/).slice(0, 2).join(' ');
}

function customerEntity(rng: Rng, customer: CustomerSeed): CustomerLegalEntity {
	const id = `2000000${rng.chars(8, DIGITS)}`;
	// A few records come back with only the site id, as in the spec's GET example.
	if (rng.chance(0.04)) {
		return {
			id,
			dunsNumber: null,
			vatNumber: null,
			registrationId: null,
			name: null,
			city: null,
			country: null,
			addressLine1: null,
			statePrefecture: null,
			addressLine2: null,
			zipCode: null,
			websiteUrl: null,
		};
	}
	return {
		id,
		dunsNumber: rng.chance(0.7) ? rng.chars(9, DIGITS) : null,
		vatNumber:
			customer.vatPrefix && rng.chance(0.8) ? `${customer.vatPrefix}${rng.chars(9, DIGITS)}` : null,
		registrationId: rng.chance(0.3) ? `HRB ${rng.chars(6, DIGITS)}` : null,
		name: customer.name,
		city: customer.city,
		country: customer.country,
		addressLine1: customer.addressLine1,
		statePrefecture: customer.statePrefecture,
		addressLine2: null,
		zipCode: customer.zipCode,
		websiteUrl: customer.websiteUrl,
	};
}

function customerContacts(rng: Rng, customer: CustomerSeed): CustomerContact[] | null {
	if (rng.chance(0.3)) return null;
	const domain = customer.websiteUrl.replace(/^www\./, '');
	return Array.from({ length: rng.int(1, 2) }, () => {
		const firstName = rng.pick(FIRST_NAMES);
		const lastName = rng.pick(LAST_NAMES);
		return {
			phoneNumber: rng.chars(10, DIGITS),
			salutation: rng.pick(SALUTATIONS),
			jobTitle: rng.pick(JOB_TITLES),
			email: `${mailbox(firstName, lastName)}@${domain}`,
			firstName,
			lastName,
		};
	});
}

function partnerContacts(rng: Rng): PartnerContact[] | null {
	if (rng.chance(0.4)) return null;
	const first = rng.pick(FIRST_NAMES);
	const last = rng.pick(LAST_NAMES);
	return [
		{
			salesRepEmail: `${mailbox(first, last)}@best-partner.com`,
			salesRepFirstName: first,
			salesRepLastName: last,
		},
	];
}

function offerLines(rng: Rng, orderable: readonly PortfolioItem[], closeMs: number): OfferLine[] {
	return Array.from({ length: rng.int(1, 3) }, () => {
		const revenueType = rng.weighted(REVENUE_WEIGHTS);
		const line: OfferLine = {
			amount: rng.int(10, 2500) * 100,
			offerNameId: rng.pick(orderable).salesPortfolioId,
			revenueType,
		};
		// "startDate/endDate are only used for YxC/QxC": a one-year term from the close date.
		if (revenueType === 'YxC' || revenueType === 'QxC') {
			line.startDate = isoDate(closeMs);
			line.endDate = isoDate(closeMs + 364 * DAY_MS);
		}
		return line;
	});
}

function partnerLeadId(rng: Rng, status: LeadStatus): string {
	return `PARTNER-CRM-${LEAD_STAGES.includes(status) ? 'LEAD' : 'OPPY'}-${rng.chars(6, ALNUM)}`;
}

/** Builds one lead from a draft. Every field is drawn from `rng`, in a fixed order. */
export function buildLead(
	rng: Rng,
	id: string,
	draft: LeadDraft,
	orderable: readonly PortfolioItem[],
): LeadOpportunity {
	const customer = rng.pick(CUSTOMERS);
	const { status } = draft;
	const closed = status === 'WON' || status === 'LOST';
	const closeMs = closed
		? draft.createdMs + rng.int(10, 90) * DAY_MS
		: draft.modifiedMs + rng.int(-10, 180) * DAY_MS;
	const hasMilestone = !closed && rng.chance(0.6);
	const milestone = rng.pick(MILESTONES);
	const milestoneMs = draft.modifiedMs + rng.int(1, 30) * DAY_MS;
	const lead: LeadOpportunity = {
		dsLeadOpportunityId: id,
		name: `${shortName(customer)} - ${rng.pick(PROJECT_TOPICS)}`,
		dsOwnerEmail: draft.marketing ? PRIMARY_PSM : rng.pick(PSM_EMAILS),
		status,
		forecastCategory: forecastFor(
			status,
			LEAD_STAGES.includes(status)
				? undefined
				: rng.pick(['UPSIDE', 'COMMIT', 'SAFE', 'LONGSHOT'] as const),
			undefined,
		),
		closeDate: isoMidnight(closeMs),
		cometCampaignCode:
			draft.marketing || rng.chance(0.2)
				? `OC2${customer.country.slice(0, 2).toUpperCase()}${rng.chars(2, DIGITS)}TAQ${rng.chars(1, DIGITS)}C${rng.chars(5, DIGITS)}`
				: null,
		competitors: rng.chance(0.5) ? rng.sample(COMPETITORS, rng.int(1, 2)) : null,
		reasonWon:
			status === 'WON'
				? rng.sample(REASONS_WON, rng.int(1, 2))
				: status === 'LOST'
					? ['EMPTY']
					: [DEFAULT_REASON_WON],
		reasonLost:
			status === 'LOST'
				? rng.sample(REASONS_LOST, rng.int(1, 2))
				: status === 'WON'
					? ['EMPTY']
					: [DEFAULT_REASON_LOST],
		reasonWonLostComment: closed ? rng.pick(WON_LOST_COMMENTS) : '',
		gtmTacticId: rng.chance(0.2) ? `GTM-${rng.chars(6, DIGITS)}` : null,
		description: rng.chance(0.6) ? rng.pick(DESCRIPTIONS) : '',
		nextMilestone: hasMilestone ? milestone : '',
		nextMilestoneDate: hasMilestone ? isoMs(milestoneMs - (milestoneMs % 3600000)) : '',
		currency: customer.currency,
		approvalStatus: rng.weighted([
			['PRE_APPROVED', 5],
			['APPROVED', 3],
			['PENDING', 1],
			['EMPTY', 1],
		] as const),
		engagementType: rng.weighted([
			['EXTEND', 4],
			['NEW', 3],
			['EMPTY', 3],
		] as const),
		poInformation: '',
		poStatus: status === 'WON' ? 'RECEIVED' : null,
		poNumber: status === 'WON' ? `PO-${rng.chars(8, DIGITS)}` : null,
		sboIndicator: 'EMPTY',
		sboStatus: null,
		sboNumber: null,
		growthType: rng.weighted([
			['EMPTY', 5],
			['NEW_CUSTOMER', 2],
			['UPSELL', 2],
			['CROSS_SELL', 1],
		] as const),
		leadPriority: rng.weighted([
			['EMPTY', 5],
			['HIGH', 1],
			['MEDIUM', 2],
			['LOW', 1],
		] as const),
		levelOfInterest: rng.weighted([
			['EMPTY', 5],
			['HOT', 1],
			['WARM', 2],
			['COLD', 1],
		] as const),
		dsComment: '',
		partnerImportMode: draft.partnerId === 'crm' ? 'API' : 'EMPTY',
		createdDate: isoMs(draft.createdMs),
		modifiedDate: isoMs(draft.modifiedMs),
		offerLines: offerLines(rng, orderable, closeMs),
		customerLegalEntity: customerEntity(rng, customer),
		customerContact: customerContacts(rng, customer),
		partnerContact: draft.marketing ? null : partnerContacts(rng),
	};
	if (draft.partnerId === 'crm')
		return { partnerLeadOpportunityId: partnerLeadId(rng, status), ...lead };
	if (draft.partnerId === 'empty') return { partnerLeadOpportunityId: '', ...lead };
	return lead;
}

/**
 * The seeded store: `count` leads created and modified over the last 120 days before `nowMs`;
 * about one in eight is an unassigned marketing lead (partner id absent or '').
 */
export function seedLeads(
	rng: Rng,
	count: number,
	nowMs: number,
	orderable: readonly PortfolioItem[],
	newId: () => string,
): LeadOpportunity[] {
	const leads: LeadOpportunity[] = [];
	const partnerIds = new Set<string>();
	for (let i = 0; i < count; i++) {
		const createdMs = nowMs - Math.floor(rng.next() * SEED_WINDOW_DAYS * DAY_MS);
		const modifiedMs = createdMs + Math.floor(rng.next() * (nowMs - createdMs));
		const marketing = rng.chance(0.12);
		const draft: LeadDraft = {
			partnerId: marketing ? (rng.chance(0.6) ? 'absent' : 'empty') : 'crm',
			status: marketing
				? rng.pick(['LEAD_OPEN', 'QUALIFIED'] as const)
				: rng.weighted(STATUS_WEIGHTS),
			createdMs,
			modifiedMs,
			marketing,
		};
		let lead = buildLead(rng, newId(), draft, orderable);
		// Partner CRM ids are unique, as create enforces (ERR801); redraw on the rare collision.
		while (lead.partnerLeadOpportunityId && partnerIds.has(lead.partnerLeadOpportunityId)) {
			lead = buildLead(rng, lead.dsLeadOpportunityId, draft, orderable);
		}
		if (lead.partnerLeadOpportunityId) partnerIds.add(lead.partnerLeadOpportunityId);
		leads.push(lead);
	}
	return leads;
}
