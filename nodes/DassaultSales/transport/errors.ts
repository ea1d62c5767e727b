/**
 * Turns what the API answered into an error a user can act on. The message says what happened, in
 * the user's words, with the item; the description starts with how to get unstuck, then the 3DS
 * code, message and traceId. Nothing
 * from the request (headers, the API key) is ever copied into an error.
 */
import type { Failure, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { responses } from '../schemas';
import type { ErrorEnvelope } from '../schemas/responses';
import { isPlainObject } from '../utils/isPlainObject';

export interface ErrorContext {
	node: INode;
	itemIndex?: number;
	/** What the call was for, in the user's words: "create the lead-opportunity". */
	action: string;
	statusCode: number;
	body: unknown;
	environment: { name: string; url: string };
	/** The 3DS id in the path, for "not found" messages. */
	dsLeadOpportunityId?: string;
	failure?: Failure;
	/** Attempts made before giving up (retries included). */
	attempts?: number;
	/** A 2xx whose body lacks what the node needs. */
	unexpectedShape?: boolean;
	/** An earlier attempt may have been applied by the server although its answer was lost. */
	retriedAfterUncertainFailure?: boolean;
}

export const readEnvelope = (body: unknown): ErrorEnvelope => {
	const parsed = responses.errorEnvelope.safeParse(body);
	return parsed.success ? parsed.data : {};
};

const textOf = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== '' ? value : undefined;

/**
 * The code and message of the spec's `errors` (plural: PATCH's 400, `400_patch_leads-opportunities`,
 * an object) or of its first element when a gateway sends a list.
 */
const pluralError = (errors: unknown): { code?: string; message?: string } => {
	const first = Array.isArray(errors) ? errors[0] : errors;
	if (typeof first !== 'object' || first === null) return {};
	const { code, message } = first as { code?: unknown; message?: unknown };
	return { code: textOf(code), message: textOf(message) };
};

/** The code, message and traceId of a 3DS error body, whichever envelope it came in. */
export const describeEnvelope = (body: unknown) => {
	const envelope = readEnvelope(body);
	const plural = pluralError(envelope.errors);
	const code = textOf(envelope.error?.code) ?? plural.code;
	const message = textOf(envelope.error?.message) ?? plural.message ?? textOf(envelope.message);
	// Once its code and message are read, a plural `errors` adds nothing to the description.
	const emptyObject =
		typeof envelope.errors === 'object' &&
		envelope.errors !== null &&
		Object.keys(envelope.errors).length === 0;
	const restOfErrors =
		envelope.errors !== undefined && !emptyObject && plural.code === undefined
			? envelope.errors
			: undefined;
	return {
		code,
		message,
		traceId: envelope.info?.traceId ?? undefined,
		errors: restOfErrors,
	};
};

const truncate = (value: string, max = 300) =>
	value.length > max ? `${value.slice(0, max)}… (${value.length} characters)` : value;

const bodyExcerpt = (body: unknown): string | undefined => {
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'string') return truncate(body.replace(/\s+/g, ' ').trim());
	try {
		return truncate(JSON.stringify(body));
	} catch {
		return undefined;
	}
};

/** What happened (the message) and how to get unstuck (the first line of the description). */
interface UserMessage {
	message: string;
	fix: string;
}

/** The statuses and 3DS codes with their own words: the status first, then the code. */
/** ERR801's message, which a dry Create also gives when it predicts that refusal. */
export const ALREADY_EXISTS_MESSAGE =
	'A lead-opportunity with this partner lead-opportunity ID already exists in 3DS';

const KNOWN: Record<string, (ctx: ErrorContext) => UserMessage> = {
	'401': ({ environment }) => ({
		message: `The ${environment.name} environment of the 3DS API refused the request: the API key is missing`,
		fix: "Fill in the 'API Key' of the credential.",
	}),
	'403': ({ environment }) => ({
		message: `The API key was refused by the ${environment.name} environment (${environment.url})`,
		fix: "Check that the key belongs to this environment and has the sales scope; change 'Environment' or 'API Key' in the credential.",
	}),
	'429': ({ action }) => ({
		message: `The 3DS API rate limit is still reached after waiting: could not ${action}`,
		fix: "Run it again later, or send fewer requests at once (a lower 'Concurrency' in Options, or fewer items per execution).",
	}),
	'503': ({ action }) => ({
		message: `The 3DS sales API is temporarily unavailable: could not ${action}`,
		fix: "Run it again in a few minutes (the node's Settings can retry it for you).",
	}),
	ERR801: () => ({
		message: ALREADY_EXISTS_MESSAGE,
		fix: "Use 'Update' or 'Create or Update' instead of 'Create', or give another 'Partner Lead-Opportunity ID'.",
	}),
	ERR805: () => ({
		message: 'The 3DS API rejected the format of closeDate or nextMilestoneDate',
		fix: "Give 'Close Date' and 'Next Milestone Date' as ISO 8601 date-times such as 2025-08-01T18:03:16.325Z.",
	}),
	ERROR_043: () => ({
		message: 'The 3DS search needs both bounds of the modified-date window (fromDate and toDate)',
		fix: "Set both 'Modified After' and 'Modified Before'.",
	}),
	ERROR_048: (ctx) => ({
		message: `Lead-opportunity "${ctx.dsLeadOpportunityId ?? ''}" was not found or is not in your scope`,
		fix: "Check the 3DS ID (dsLeadOpportunityId, e.g. HCRQ-F1LLDE), not your CRM ID; to find it by your CRM ID, set 'Lead-Opportunity' to By Partner Lead-Opportunity ID.",
	}),
	ERROR_004: () => ({
		message:
			'The 3DS API rejected the paging of portfolio items: top must be a positive, non-zero integer and skip zero or more',
		fix: "Set 'Limit' to 1 or more, or turn on 'Return All'.",
	}),
};

/**
 * The words of an answer, as n8n's guidelines ask: what happened and how to get unstuck, in the
 * user's words and without "error", "failure" or "problem". ERR899 is 3DS's "unavailable".
 */
function userMessage(
	ctx: ErrorContext,
	code: string | undefined,
	apiMessage: string | undefined,
): UserMessage {
	const { statusCode, action } = ctx;
	// Own keys only: a code such as "constructor" must not reach Object's prototype.
	const key = [String(statusCode), code === 'ERR899' ? '503' : code].find(
		(candidate) => candidate !== undefined && Object.hasOwn(KNOWN, candidate),
	);
	if (key !== undefined) return KNOWN[key](ctx);
	const said = apiMessage ? `: ${apiMessage}` : '';
	const support = 'If it persists, give the traceId below to 3DS support.';
	if (ctx.unexpectedShape)
		return {
			message: `The 3DS API answered in an unexpected shape while trying to ${action}: the node cannot read the result`,
			fix: `Check the credential's environment or Base URL (a proxy may be answering instead of 3DS). ${support}`,
		};
	const isJsonObject = isPlainObject(ctx.body);
	const ok = statusCode >= 200 && statusCode < 300;
	if (ok && !isJsonObject)
		return {
			message: `The 3DS API answered with something that is not a JSON object while trying to ${action} (a proxy or gateway page, or a cut answer?)`,
			fix: `Check the credential's environment or Base URL, then run it again. ${support}`,
		};
	return {
		message: ok
			? `The 3DS API answered that it could not ${action}${said}`
			: `The 3DS API could not ${action} (HTTP ${statusCode})${said}`,
		fix:
			statusCode < 500
				? `Check the fields the 3DS message names, then run it again. ${support}`
				: `Run it again later. ${support}`,
	};
}

export function apiError(ctx: ErrorContext): NodeApiError {
	const { code, message: apiMessage, traceId, errors } = describeEnvelope(ctx.body);
	const { message, fix } = userMessage(ctx, code, apiMessage ? truncate(apiMessage) : undefined);
	const details = [
		fix,
		code ? `3DS code ${code}` : undefined,
		apiMessage ? `3DS message: ${truncate(apiMessage)}` : undefined,
		errors !== undefined ? `3DS errors: ${bodyExcerpt(errors)}` : undefined,
		traceId ? `traceId ${traceId} (give it to 3DS support)` : undefined,
		!code && !apiMessage ? (bodyExcerpt(ctx.body) ?? 'The response had no body.') : undefined,
		ctx.attempts && ctx.attempts > 1 ? `Gave up after ${ctx.attempts} attempts.` : undefined,
		`Environment: ${ctx.environment.name} (${ctx.environment.url}).`,
	].filter(Boolean);
	const failure: Failure | undefined =
		ctx.failure ??
		(ctx.statusCode === 401 || ctx.statusCode === 403
			? { cause: 'credential-invalid' }
			: undefined);
	const errorResponse: JsonObject = {
		httpCode: String(ctx.statusCode),
		...(code ? { code } : {}),
		...(traceId ? { traceId } : {}),
	};
	const error = new NodeApiError(ctx.node, errorResponse, {
		message: ctx.itemIndex === undefined ? message : `${message} [item ${ctx.itemIndex}]`,
		description: details.join('\n'),
		httpCode: String(ctx.statusCode),
		itemIndex: ctx.itemIndex,
		failure,
	});
	// For callers that recover from a known code (a retried create answering ERR801).
	error.context.apiCode = code;
	error.context.retriedAfterUncertainFailure = ctx.retriedAfterUncertainFailure === true;
	return error;
}

/**
 * An error as n8n wants it thrown: our own errors pass unchanged (NodeApiError hands back the
 * original when re-wrapped), anything else becomes a NodeOperationError bound to the item.
 */
export const asNodeError = (
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError =>
	error instanceof NodeApiError || error instanceof NodeOperationError
		? error
		: new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });

/** The 3DS error code carried by an error from `apiError`, if any. */
export const apiErrorCode = (error: unknown): string | undefined =>
	error instanceof NodeApiError && typeof error.context.apiCode === 'string'
		? error.context.apiCode
		: undefined;

const NETWORK_WORDS: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ECONNREFUSED: 'the connection was refused',
	ECONNABORTED: 'the request timed out',
	ETIMEDOUT: 'the request timed out',
	ESOCKETTIMEDOUT: 'the request timed out',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved',
};

/** Network failures, named by their code; the original error (which holds the request and its headers) is dropped. */
export function networkError(
	node: INode,
	code: string,
	action: string,
	environment: { name: string; url: string },
	itemIndex: number | undefined,
	attempts: number,
): NodeApiError {
	// Not `{ code }`: NodeApiError would swap our message for its generic one about "Retry on Fail",
	// while this node has already retried.
	return new NodeApiError(
		node,
		{ networkError: code },
		{
			// The code stays out of the message: NodeApiError would replace a message naming it.
			message: `Could not reach the 3DS API (${environment.name}) to ${action}: ${NETWORK_WORDS[code] ?? 'the network did not answer'}${itemIndex === undefined ? '' : ` [item ${itemIndex}]`}`,
			description: `Check the environment or Base URL of the credential (${environment.url}) and the network, then run it again. The connection did not succeed (${code}) after ${attempts} attempt${attempts > 1 ? 's' : ''}.`,
			itemIndex,
			failure: { cause: 'temporarily-unavailable' },
		},
	);
}
