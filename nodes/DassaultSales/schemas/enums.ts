/**
 * The API's enums with their `x-enumDescriptions`, as the spec states them. The "enums" tests of
 * test/contract/spec.test.ts compare every list with the spec fixture, so they cannot drift.
 * Node options and zod schemas are both derived from these records.
 */

export const LEAD_OPPORTUNITY_STATUS = {
	LEAD_OPEN: '-6 Open',
	QUALIFIED: '-5 Qualified',
	ACCEPTED: '-4 Accepted',
	OPPY_OPEN: '-3 Open',
	VALIDATED: '-2 Validated',
	ESTABLISHED: '-1 Established',
	WON: 'Won opportunity',
	LOST: 'Lost opportunity',
} as const;

export const FORECAST_CATEGORY = {
	UPSIDE:
		'One or more major risks of closing business by the close date, however the customer stated an intention, as represented in the Win Plan, to place an order by the specified Close Date.',
	COMMIT:
		'Commitment that this Opportunity will be won by the close date. All key steps to close by the close date have been agreed upon with the customer and there are no known major risks.',
	SAFE: 'The Purchase Order and agreements signed by the customer are received by 3DS, are being reviewed by Sales Operations and have been submitted to Finance.',
	WON: 'The signed Statement of work and Purchase Order are approved (by Finance)',
	LOST: 'The signed Statement of work and Purchase Order are approved (by Finance) and the Opportunity is lost.',
	// The spec's text is garbled ("LongLow ... startedshot."); this is its evident meaning.
	LONGSHOT:
		'Low probability of closing business by the close date due to one or more significant risks (RFP in process, missing technical proofs or vendor selection, no alignment on Close Date, services or legal contracts not started).',
	EMPTY: 'Empty, not filled in.',
} as const;

export const REASON_WON = {
	SOLUTION_FUNCT: 'Solution functionality',
	STRNG_VAL_PROP: 'Stronger value proposition',
	LWR_CST_OF_OWNRSHIP: 'Lower costs of ownership',
	LWR_IMPL_COST: 'Lower implementation costs',
	GOOD_CSTMR_REFER: 'Good customer references',
	OFFR_TRM_CONDN: 'Offer Terms & conditions',
	LWR_SFTWR_COSTS: 'Lower software costs',
	STRONG_CLIENT_RELATION: 'Strong client relationship',
	DS_SKILLS_EXPERTISE: 'DS skills & expertise',
	'PRTNR_SKILL_&_EXPRT': 'Partner skills & expertise',
	PRTNR_RELTNSHIP: 'Partner (CSI) relationship',
	SALE_OPP_ACT: 'SalesOperations activities',
	IT_DRVN_ACT: 'IT driven activities',
	EMPTY: 'Empty',
} as const;

export const REASON_LOST = {
	BETTER_COMP_OFFER: 'Better competition offer',
	CLIENT_DOES_NOT_SEE_VALUE: 'Client does not see value',
	LACK_OR_LOSS_OF_CHAMPION: 'Lack or loss of Champion',
	FUNC_GAP: 'Functional gap',
	HIGH_IMPLEM_COST: 'High Implementation cost',
	LACK_OF_REF: 'Lack of references',
	OFFER_DOES_NOT_MATCH_NEEDS: 'Offer does not match needs',
	QUALITY_ISSUE: 'Quality issue',
	DS_SKILLS_SUPPORT_ISSUE: 'DS skills & support issue',
	PARTNER_SKILL_SUPPORT: 'Partner skills & support',
	REL_LEVEL_ISSUE: 'Relationship level issue',
	SOFT_COST_TOO_HIGH: 'Software cost too high',
	TERMS_COND_ISSUE: 'Terms & conditions issue',
	COST_OF_SALES_TOO_HIGH: 'Cost of Sales too high',
	LACK_OF_SKILLS_TO_SUPPORT: 'Lack of skills to support',
	LACK_OF_TECH_RESOURCES: 'Lack of tech resources',
	NOT_A_DS_PRIORITY: 'Not a priority for DS',
	NOT_A_PARTNER_PRIORITY: 'Not a priority for Partner',
	CLIENT_BANKRUPT_OR_ACQUIRED: 'Client Bankrupt/Acquired',
	CLIENT_HAS_NO_MORE_NEED: 'Client has no (more) need',
	CLIENT_HAS_NO_MORE_BUDGET: 'Client has no (more) budget',
	DUP_COPY: 'Duplicate copy',
	IT_DRIVEN_ACTIVITIES: 'IT driven activities',
	LOST_TO_ANOTHER_PARTNER: 'Lost to another partner',
	SALESOPS_ACTIVITIES: 'SalesOperations activities',
	TERRITORY_REJECT: 'Territory reject',
	INADEQUATE_REF: 'Inadequate references',
	WRONG_PARTNER_OR_DS_SALES: 'Wrong Partner/DS Sales',
	MISSING_INFORMATION: 'Missing information',
	INCORRECT_CHANNEL: 'Incorrect channel',
	UNMOVABLE_COMPET: 'Unmovable compet.',
	OPPY_ALREADY_EXISTS: 'Oppy already exists',
	NO_PROJECT: 'No Project',
	IMMATURE_PROJECT: 'Immature project',
	DUP_LEAD: 'Duplicate lead',
	DUP_OPPY: 'Duplicate oppy',
	CUST_BNKRUPT: 'Customer bankruptcy',
	NVR_SUCCEED_RECHN_CUST: 'Never succeed in reaching customer (mail/phone/letter)',
	NT_ENG_RLVNT_EVD_CUST:
		'Not enough relevant evidences to escalate with the customer (at risk at the court)',
	ROI_NT_VIBLE: 'ROI for enforcement not viable',
	VLD_CUST_EXPLNTN: 'Valid Customer Explanation (approved by legal)',
	MERGED: 'Merged',
	EMPTY: 'Empty',
} as const;

/** v1 requests (`revenueType`, default PxC). */
export const REVENUE_TYPE_V1 = {
	PxC: 'Upfront',
	YxC: 'Yearly Rental Booking',
	QxC: 'Quarterly Rental Booking',
} as const;

/** v0 requests and responses (`revenueType_deprecated_v0`). */
export const REVENUE_TYPE_V0 = {
	UPFRONT: 'Upfront',
	RENTAL_BOOKING: 'Rental Booking',
	SUPPORT_SERVICES: 'Support Services',
	SERVICES_SIGNING: 'Services Signing',
	EMPTY: 'Empty',
} as const;

/** v1 GET responses only (`revenueType_get`): read-only values that v1 cannot write back. */
export const REVENUE_TYPE_V1_GET = {
	PxC: 'Upfront',
	YxC: 'Yearly Rental Booking',
	QxC: 'Quarterly Rental Booking',
	SUPPORT_SERVICES: 'Support Services',
	SxC: 'Services Signing',
	EMPTY: 'Empty',
} as const;

/** Revenue types whose offer lines carry a start and end date (prose rule of `offerLine`). */
export const DATED_REVENUE_TYPES: readonly string[] = ['YxC', 'QxC'];

export type EnumRecord = Readonly<Record<string, string>>;

export const enumValues = <T extends EnumRecord>(record: T) =>
	Object.keys(record) as [keyof T & string, ...Array<keyof T & string>];
