/**
 * zod schemas of the API's response bodies, tolerant on purpose: the API adds enum values before
 * documenting them and spells `timestamp` two ways (docs/api-notes.md part 2), so these check
 * only what the node relies on and pass everything else through untouched.
 */
import { z, type Infer } from './zod';

const id = z.string().min(1);

/** POST 201: flat. */
export const createResponse = z
	.object({
		dsLeadOpportunityId: id,
		partnerLeadOpportunityId: z.string().nullish(),
		action: z.string().nullish(),
	})
	.passthrough();

/** PATCH 200: the ids nest under `data`. */
export const updateResponse = z
	.object({
		data: z
			.object({
				dsLeadOpportunityId: z.string().nullish(),
				partnerLeadOpportunityId: z.string().nullish(),
				action: z.string().nullish(),
			})
			.passthrough(),
	})
	.passthrough();

export const getResponse = z
	.object({
		data: z.object({ leadOpportunity: z.record(z.unknown()) }).passthrough(),
	})
	.passthrough();

export const searchResponse = z
	.object({
		data: z.array(z.object({ dsLeadOpportunityId: z.array(z.string()).nullish() }).passthrough()),
	})
	.passthrough();

export const portfolioItem = z
	.object({
		salesPortfolioId: z.string().nullish(),
		salesPortfolioType: z.string().nullish(),
		salesPortfolioInfrastructure: z.string().nullish(),
		salesPortfolioisOrderable: z.boolean().nullish(),
		salesPortfolioLevel1: z.string().nullish(),
		salesPortfolioLevel2: z.string().nullish(),
		salesPortfolioLevel3: z.string().nullish(),
	})
	.passthrough();

export const portfolioResponse = z
	.object({
		data: z.array(portfolioItem),
		info: z.object({ estimatedSearchCount: z.number().nullish() }).passthrough().nullish(),
	})
	.passthrough();

/** Every error body of the spec: the 3DS envelope (`error` or, on PATCH 400, `errors`) or a gateway `{message}`. */
export const errorEnvelope = z
	.object({
		message: z.string().nullish(),
		error: z
			.object({ code: z.string().nullish(), message: z.string().nullish() })
			.passthrough()
			.nullish(),
		errors: z.unknown().optional(),
		info: z
			.object({
				success: z.boolean().nullish(),
				traceId: z.string().nullish(),
				timeStamp: z.string().nullish(),
				timestamp: z.string().nullish(),
			})
			.passthrough()
			.nullish(),
	})
	.passthrough();

export type ErrorEnvelope = Infer<typeof errorEnvelope>;
export type PortfolioItem = Infer<typeof portfolioItem>;
