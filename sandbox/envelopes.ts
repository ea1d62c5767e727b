// Response bodies in the spec's envelopes. Where the spec contradicts itself the choice is in
// README.md ("Spec choices"); in short, success bodies follow the spec's examples (null
// timestamp and traceId, which is all GET 200 / PATCH 200 allow) and error bodies carry both.
import type { ApiFailure } from './errors';
import type { OperationKind } from './routes';
import { isoMs, isoSeconds, isoWholeSeconds } from './time';
import type { PortfolioItem } from './types';

/** When and under which trace id a response is sent. */
export interface Stamp {
	now: number;
	traceId: string;
}

const nullIds = { partnerLeadOpportunityId: null, dsLeadOpportunityId: null, action: null };

export function created(partnerLeadOpportunityId: string, dsLeadOpportunityId: string): object {
	// statusCode 201 although the spec's example says 200 (docs/api-notes.md A.2): it is the HTTP status.
	return {
		partnerLeadOpportunityId,
		dsLeadOpportunityId,
		action: 'create',
		info: { success: true, statusCode: 201, timestamp: null, traceId: null },
		error: null,
	};
}

export function updated(partnerLeadOpportunityId: string, dsLeadOpportunityId: string): object {
	return {
		data: { partnerLeadOpportunityId, dsLeadOpportunityId, action: 'update' },
		info: { success: true, statusCode: 200, timeStamp: null, traceId: null },
		error: null,
	};
}

export function got(leadOpportunity: object): object {
	return {
		data: { leadOpportunity },
		info: { success: true, statusCode: 200, timeStamp: null, traceId: null },
		error: null,
	};
}

export function searched(ids: string[], stamp: Stamp): object {
	// An empty result is still one element holding an empty id list, so the shape never changes.
	return {
		data: [{ dsLeadOpportunityId: ids }],
		info: {
			success: true,
			statusCode: 200,
			timeStamp: isoSeconds(stamp.now),
			traceId: stamp.traceId,
		},
		error: null,
	};
}

export function portfolioPage(items: PortfolioItem[], total: number, stamp: Stamp): object {
	return {
		data: items,
		info: {
			success: true,
			statusCode: 200,
			estimatedSearchCount: total,
			timeStamp: isoWholeSeconds(stamp.now),
		},
	};
}

export interface FailureContext {
	/** PATCH 400 echoes the request body under `data`, as the spec's example does. */
	echo?: unknown;
	/** Portfolio 400 still reports the total (`info_response_portfolio-items` requires it). */
	total?: number;
}

/** The error body the spec declares for this kind of operation and status. */
export function failed(
	kind: OperationKind,
	failure: ApiFailure,
	stamp: Stamp,
	context: FailureContext = {},
): object {
	const { status, code, message } = failure;
	// The search envelopes write their timestamps without milliseconds, as in the spec's examples.
	const timeStamp = kind === 'search' ? isoSeconds(stamp.now) : isoMs(stamp.now);
	const info = { success: false, statusCode: status, timeStamp, traceId: stamp.traceId };
	switch (status) {
		case 503:
			// 503 is the one error envelope with a lower-case `timestamp`.
			return {
				info: {
					success: false,
					statusCode: 503,
					timestamp: isoMs(stamp.now),
					traceId: stamp.traceId,
				},
				error: { code, message },
				data: nullIds,
			};
		case 500:
			return { data: null, info, error: { code, message } };
		case 406:
			return { info, error: { code, message }, data: nullIds };
	}
	if (kind === 'update') {
		const echo =
			typeof context.echo === 'object' && context.echo !== null && !Array.isArray(context.echo)
				? context.echo
				: {};
		return { data: echo, info: { success: false, statusCode: status }, errors: { code, message } };
	}
	if (kind === 'portfolio') {
		return {
			info: {
				success: false,
				statusCode: status,
				timeStamp: isoWholeSeconds(stamp.now),
				estimatedSearchCount: context.total ?? 0,
			},
			error: { code, message },
		};
	}
	// ERR801 carries the null ids, like the spec's example; other 400s carry data: null.
	return { data: code === 'ERR801' ? nullIds : null, info, error: { code, message } };
}
