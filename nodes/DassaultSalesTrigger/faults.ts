/**
 * What a failed call means for the poll: a fault that passes on its own (the poll ends quietly,
 * streak.ts), a refused key (someone must act), or a defect (thrown as it is).
 */
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import type { StreakCause } from './state';

/** What a failed call means for the poll. */
export interface Fault {
	cause: StreakCause;
	/** True when waiting can help (the poll ends quietly); false when someone must act. */
	passing: boolean;
	error: NodeApiError | NodeOperationError;
}

const causeOf = (error: NodeApiError | NodeOperationError): string | undefined => {
	const failure = (error as { failure?: { cause?: unknown } }).failure;
	return typeof failure?.cause === 'string' ? failure.cause : undefined;
};

/**
 * n8n cut the poll short: it released the poll's context (the expression bridge) because the
 * next poll started or the workflow stopped, or aborted the request. Not a fault of 3DS, and
 * nothing to fix: the next poll goes on from the cursor.
 */
const CUT_SHORT = /No bridge acquired for this context|\babort(ed)?\b|\bcancel(l)?ed\b/i;

function cutShort(error: unknown): boolean {
	const seen = new Set<unknown>();
	for (let current = error; current && typeof current === 'object' && !seen.has(current); ) {
		seen.add(current);
		const { message, name, cause } = current as {
			message?: unknown;
			name?: unknown;
			cause?: unknown;
		};
		if (name === 'AbortError' || (typeof message === 'string' && CUT_SHORT.test(message)))
			return true;
		current = cause;
	}
	return false;
}

/** A fault the streak handles, or undefined for an error to throw as it is. */
export function classifyFault(error: unknown, node?: INode): Fault | undefined {
	const known = error instanceof NodeApiError || error instanceof NodeOperationError;
	const cause = known ? causeOf(error) : undefined;
	if (known && (cause === 'rate-limited' || cause === 'quota-exhausted'))
		return { cause: 'rate-limited', passing: true, error };
	if (known && cause === 'temporarily-unavailable')
		return { cause: 'temporarily-unavailable', passing: true, error };
	if (cutShort(error) && (known || node)) {
		const wrapped = known ? error : new NodeOperationError(node as INode, error as Error);
		return { cause: 'cut-short', passing: true, error: wrapped };
	}
	if (!known) return undefined;
	const httpCode = error instanceof NodeApiError ? error.httpCode : null;
	if (cause === 'credential-invalid' || httpCode === '401' || httpCode === '403')
		return { cause: 'credential-invalid', passing: false, error };
	return undefined;
}
