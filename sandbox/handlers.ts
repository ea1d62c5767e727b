// One handler per kind of operation. Each validates, applies the change to the store and returns
// the status and body to send; HTTP concerns (auth, quota, faults, writing) stay in server.ts.
import { type ApiFailure, failures } from './errors';
import { created, failed, got, portfolioPage, searched, type Stamp, updated } from './envelopes';
import { applyUpdate, leadFromCreate } from './lead-writes';
import type { DayStorage } from './options';
import type { OperationKind, Route } from './routes';
import type { Spec } from './spec';
import type { LeadStore } from './store';
import type { PortfolioItem } from './types';
import { checkLeadWrite, checkPaging, checkSearch } from './validation';
import { leadForVersion } from './versions';

export interface Reply {
	status: number;
	body: object;
}

export interface HandlerContext {
	spec: Spec;
	store: LeadStore;
	portfolio: readonly PortfolioItem[];
	stamp: () => Stamp;
	/** How closeDate / nextMilestoneDate are stored (the admin API can change it). */
	days: () => DayStorage;
}

export interface OperationRequest {
	route: Route;
	/** The `{id}` path segment, for update and get. */
	id?: string;
	body: unknown;
	query: URLSearchParams;
}

const failure = (
	ctx: HandlerContext,
	request: OperationRequest,
	f: ApiFailure,
	total?: number,
): Reply => ({
	status: f.status,
	body: failed(request.route.kind, f, ctx.stamp(), { echo: request.body, total }),
});

const handlers: Record<OperationKind, (ctx: HandlerContext, request: OperationRequest) => Reply> = {
	create(ctx, request) {
		const { route } = request;
		const checked = checkLeadWrite(ctx.spec, route.operationId, request.body);
		if (!checked.ok) return failure(ctx, request, checked.failure);
		const partnerId = checked.value.leadOpportunity.partnerLeadOpportunityId ?? '';
		if (ctx.store.findByPartnerId(partnerId))
			return failure(ctx, request, failures.duplicatePartnerId());
		const lead = ctx.store.insert(
			leadFromCreate(route.version, checked.value, ctx.store.newId(), ctx.days()),
			'create',
		);
		return { status: 201, body: created(partnerId, lead.dsLeadOpportunityId) };
	},

	update(ctx, request) {
		const { route } = request;
		const checked = checkLeadWrite(ctx.spec, route.operationId, request.body);
		if (!checked.ok) return failure(ctx, request, checked.failure);
		const id = request.id ?? '';
		// PATCH declares no 500, so an unknown id is its 400 with the GET's code (README.md).
		if (!ctx.store.get(id)) return failure(ctx, request, failures.notInScope(400));
		// Sending a partner id assigns it (how a partner claims a marketing lead); it stays unique.
		const holder = ctx.store.findByPartnerId(
			checked.value.leadOpportunity.partnerLeadOpportunityId ?? '',
		);
		if (holder && holder.dsLeadOpportunityId !== id)
			return failure(ctx, request, failures.duplicatePartnerId());
		const lead = ctx.store.modify(id, 'update', (stored) =>
			applyUpdate(route.version, stored, checked.value, ctx.days()),
		);
		return { status: 200, body: updated(lead.partnerLeadOpportunityId ?? '', id) };
	},

	get(ctx, request) {
		const lead = ctx.store.get(request.id ?? '');
		if (!lead) return failure(ctx, request, failures.notInScope(500));
		return { status: 200, body: got(leadForVersion(request.route.version, lead)) };
	},

	search(ctx, request) {
		const checked = checkSearch(ctx.spec, request.body);
		if (!checked.ok) return failure(ctx, request, checked.failure);
		return { status: 200, body: searched(ctx.store.search(checked.value), ctx.stamp()) };
	},

	portfolio(ctx, request) {
		const total = ctx.portfolio.length;
		const checked = checkPaging(ctx.spec, request.query);
		if (!checked.ok) return failure(ctx, request, checked.failure, total);
		const { skip, top } = checked.value;
		return {
			status: 200,
			body: portfolioPage(ctx.portfolio.slice(skip, skip + top), total, ctx.stamp()),
		};
	},
};

export function handleOperation(ctx: HandlerContext, request: OperationRequest): Reply {
	return handlers[request.route.kind](ctx, request);
}

/** The body of an error raised before the handler ran (invalid JSON, 503 fault). */
export function failureReply(ctx: HandlerContext, request: OperationRequest, f: ApiFailure): Reply {
	return failure(ctx, request, f, ctx.portfolio.length);
}
