/**
 * zod schemas of the API's request bodies: the spec's schemas plus its prose-only rules
 * (docs/api-notes.md §5). Every body the node sends is parsed by one of these first, so bad input
 * never reaches the API; the contract tests check that what they accept the spec accepts too.
 * Objects are strict: an unknown key (a typo such as `partnerLeadOpportunityID` in a JSON body)
 * is an error naming the key, not a field silently dropped.
 */
import { toIsoDate, toUtcDateTime, toUtcMidnight } from './dates';
import {
	DATED_REVENUE_TYPES,
	enumValues,
	FORECAST_CATEGORY,
	LEAD_OPPORTUNITY_STATUS,
	REASON_LOST,
	REASON_WON,
	REVENUE_TYPE_V0,
	REVENUE_TYPE_V1,
} from './enums';
import { z, type Infer } from './zod';

export type ApiVersion = 'v1' | 'v0';

/** The API's search window limit: "1 week / 7 days ... calculated time to time". */
export const MAX_SEARCH_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

const ISO_4217 = new Set<string>(Intl.supportedValuesOf('currency'));

const text = z.string({ invalid_type_error: 'must be text' });
const requiredText = text.trim().min(1, 'must not be empty');
const email = text.trim().email('must be an email address');
const nullableText = text.nullable();

/** A value as an error shows it, briefly. */
const shown = (value: unknown): string => {
	if (value instanceof Date) return 'an invalid Date';
	if (typeof value === 'object' && value !== null)
		return Array.isArray(value) ? 'a list' : 'an object';
	const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

const ACCEPTED =
	"an ISO 8601 date-time without an offset (2026-11-20T09:00, read in the workflow's time zone) or with one (2026-11-20T00:00:00Z), a date (2026-11-20), a Date, a Luxon DateTime, or milliseconds since the epoch (from the year 2000 on)";

/**
 * A date field read by `read` (dates.ts). The helpers read each value in the workflow's time zone
 * first (helpers/dates.ts), so what reaches the schema is already UTC; read here in UTC it stays as
 * it is, and what no zone could read is an error naming the accepted forms.
 */
const dateField = (read: (value: unknown, zone: string) => string | undefined, what: string) =>
	z.unknown().transform((value, ctx) => {
		const result = read(value, 'UTC');
		if (result === undefined) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message:
					value === undefined
						? `is required: ${what}, as ${ACCEPTED}`
						: `must be ${what}: ${ACCEPTED}; got ${shown(value)}`,
			});
			return z.NEVER;
		}
		return result;
	});

/** Search bounds: sent as the instant, in UTC. */
export const utcDateTime = dateField(toUtcDateTime, 'a date and time');

/** closeDate, nextMilestoneDate: a day, sent as midnight UTC of that day. */
const dayDateTime = dateField(toUtcMidnight, 'a day');

/** Offer line start/end: a day, sent as `YYYY-MM-DD`. */
const isoDate = dateField(toIsoDate, 'a day');

const THREE_LETTERS = /^[A-Z]{3}$/;

/** ISO 4217 membership is prose-only in the spec (`XYZ` passes its pattern); lowercase is accepted and upper-cased. */
const currency = text.trim().transform((value, ctx) => {
	const code = value.toUpperCase();
	if (!THREE_LETTERS.test(code) || !ISO_4217.has(code)) {
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: `"${value.slice(0, 20)}" is not an ISO 4217 currency code (three letters such as EUR, USD, INR)`,
		});
		return z.NEVER;
	}
	return code;
});

const oneOf = <T extends Record<string, string>>(record: T, what: string) =>
	z.enum(enumValues(record), {
		errorMap: () => ({
			message: `must be one of the API's ${what} values: ${Object.keys(record).join(', ')}`,
		}),
	});

export const statusSchema = oneOf(LEAD_OPPORTUNITY_STATUS, 'status');

/** `lead-opportunity_attributes`: everything optional; create and update add their own required fields. */
const leadOpportunityAttributes = z
	.object({
		partnerLeadOpportunityId: requiredText,
		name: requiredText,
		dsOwnerEmail: email,
		status: statusSchema,
		forecastCategory: oneOf(FORECAST_CATEGORY, 'forecast category'),
		closeDate: dayDateTime,
		cometCampaignCode: text,
		reasonWon: z.array(oneOf(REASON_WON, 'reason won')),
		reasonLost: z.array(oneOf(REASON_LOST, 'reason lost')),
		competitors: z.array(text),
		reasonWonLostComment: text,
		gtmTacticId: text,
		description: text,
		nextMilestone: text,
		nextMilestoneDate: dayDateTime,
		currency,
	})
	.partial()
	.strict();

const leadOpportunityPost = leadOpportunityAttributes.required({
	partnerLeadOpportunityId: true,
	name: true,
	status: true,
	closeDate: true,
	currency: true,
});

const leadOpportunityPatch = leadOpportunityAttributes.required({ partnerLeadOpportunityId: true });

const offerLineV1 = z
	.object({
		offerNameId: requiredText,
		amount: z.number({ invalid_type_error: 'must be a number' }).finite().optional(),
		revenueType: oneOf(REVENUE_TYPE_V1, 'v1 revenue type').optional(),
		startDate: isoDate.optional(),
		endDate: isoDate.optional(),
	})
	.strict()
	.superRefine((line, ctx) => {
		const dated = line.startDate !== undefined || line.endDate !== undefined;
		// Prose rule: "startDate/endDate are only used for YxC/QxC"; revenueType defaults to PxC.
		if (dated && !DATED_REVENUE_TYPES.includes(line.revenueType ?? 'PxC')) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['revenueType'],
				message:
					'start and end dates are only used for YxC or QxC offer lines: set the revenue type to YxC/QxC or remove the dates',
			});
		}
		if (line.startDate && line.endDate && line.endDate < line.startDate) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['endDate'],
				message: `must not be before the start date ${line.startDate}`,
			});
		}
	});

const offerLineV0 = z
	.object({
		offerNameId: requiredText,
		amount: z.number({ invalid_type_error: 'must be a number' }).finite().optional(),
		revenueType: oneOf(REVENUE_TYPE_V0, 'v0 revenue type').optional(),
	})
	.strict();

/** Required but nullable in the spec; we insist on real values at creation, since 3DS needs them to match the customer. */
export const customerLegalEntity = z
	.object({
		id: nullableText,
		dunsNumber: nullableText,
		vatNumber: nullableText,
		registrationId: nullableText,
		name: requiredText,
		city: requiredText,
		country: requiredText,
		addressLine1: nullableText,
		statePrefecture: nullableText,
		addressLine2: nullableText,
		zipCode: nullableText,
		websiteUrl: nullableText,
	})
	.partial()
	.required({ name: true, city: true, country: true })
	.strict();

export const customerContact = z
	.object({
		email,
		firstName: requiredText,
		lastName: requiredText,
		phoneNumber: text.optional(),
		salutation: text.optional(),
		jobTitle: text.optional(),
	})
	.strict();

export const partnerContact = z
	.object({
		salesRepEmail: email,
		salesRepFirstName: requiredText,
		salesRepLastName: requiredText,
	})
	.strict();

const offerLines = { v1: offerLineV1, v0: offerLineV0 } as const;

/** `post_leads-opportunities_data` (v1) and `_deprecated_v0`. */
const buildCreateBody = (version: ApiVersion) =>
	z
		.object({
			partnerId: requiredText,
			leadOpportunity: leadOpportunityPost,
			offerLines: z
				.array(offerLines[version])
				.min(1, 'needs at least one offer line (offer id, amount, revenue type)'),
			customerLegalEntity,
			customerContacts: z.array(customerContact).optional(),
			partnerContacts: z.array(partnerContact).optional(),
		})
		.strict();

/** `patch_leads-opportunities_data` (v1) and `_deprecated_v0`: only what changes, plus identification. */
const buildUpdateBody = (version: ApiVersion) =>
	z
		.object({
			partnerId: requiredText,
			leadOpportunity: leadOpportunityPatch,
			offerLines: z.array(offerLines[version]).optional(),
			customerLegalEntity: customerLegalEntity.optional(),
			customerContacts: z.array(customerContact).optional(),
			partnerContacts: z.array(partnerContact).optional(),
		})
		.strict();

// Built once per version: a zod schema costs far more to build than to run.
const createBodies = { v1: buildCreateBody('v1'), v0: buildCreateBody('v0') };
const updateBodies = { v1: buildUpdateBody('v1'), v0: buildUpdateBody('v0') };

export const createBody = (version: ApiVersion) => createBodies[version];
export const updateBody = (version: ApiVersion) => updateBodies[version];

export type CreateBody = Infer<ReturnType<typeof buildCreateBody>>;
export type UpdateBody = Infer<ReturnType<typeof buildUpdateBody>>;

const modifiedDateCriterion = z
	.object({
		fromDate: utcDateTime,
		toDate: utcDateTime,
	})
	.strict()
	.superRefine(({ fromDate, toDate }, ctx) => {
		const span = Date.parse(toDate) - Date.parse(fromDate);
		if (span <= 0) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['fromDate'],
				message: `must be before toDate (${toDate})`,
			});
		} else if (span > MAX_SEARCH_WINDOW_MS) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['toDate'],
				message: 'the API searches at most 7 days at once: split the range into 7-day windows',
			});
		}
	});

/**
 * `post_leads-opportunities_search`. Criteria are separate elements of `data`, combined with AND
 * (the `search_combined` example); `""` as partner id means "no partner id" (unassigned leads).
 */
export const searchBody = z
	.object({
		data: z
			.array(
				z
					.object({
						modifiedDate: modifiedDateCriterion.optional(),
						partnerLeadOpportunityId: z
							.union([text, z.array(requiredText).min(1, 'must list at least one id')])
							.optional(),
					})
					.strict()
					.refine((c) => c.modifiedDate !== undefined || c.partnerLeadOpportunityId !== undefined, {
						message: 'each criterion needs modifiedDate or partnerLeadOpportunityId',
					}),
			)
			.min(1, 'needs at least one criterion: a modified-date window or partner ids'),
	})
	.strict();

export type SearchBody = Infer<typeof searchBody>;

/** Query of `GET portfolio-items/search`. */
export const portfolioQuery = z
	.object({
		skip: z.number().int().min(0),
		top: z.number().int().min(1, '#top should be a positive, non zero integer'),
	})
	.strict();

/**
 * What a user may search for: any modified-date range (the node splits it into 7-day windows),
 * partner ids, or `""` for the leads without a partner id. Criteria combine with AND.
 */
export const searchCriteria = z
	.object({
		modifiedDate: z
			.object({ fromDate: utcDateTime, toDate: utcDateTime })
			.strict()
			.refine(({ fromDate, toDate }) => Date.parse(fromDate) < Date.parse(toDate), {
				message: 'Modified After must be before Modified Before',
				path: ['fromDate'],
			})
			.optional(),
		partnerLeadOpportunityId: z
			.union([z.literal(''), z.array(requiredText).min(1, 'must list at least one id')])
			.optional(),
	})
	.strict()
	.refine((c) => c.modifiedDate !== undefined || c.partnerLeadOpportunityId !== undefined, {
		message:
			'needs at least one criterion: a modified-date range, partner lead-opportunity ids, or unassigned leads only',
	});

export type SearchCriteria = Infer<typeof searchCriteria>;

/** A 3DS id as the user typed or mapped it; the transport URL-encodes it. */
export const dsLeadOpportunityId = z
	.string({ invalid_type_error: 'must be text' })
	.trim()
	.min(1, 'is required: pick a lead-opportunity, or give its 3DS ID (e.g. HCRQ-F1LLDE) or your CRM ID')
	.max(100, 'is too long for an ID (a 3DS ID looks like HCRQ-F1LLDE)');
