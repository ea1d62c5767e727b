// The admin API over HTTP, under /__sandbox/ (no API key, JSON in and out). Each route maps onto
// one method of the in-process admin handle.
import { type LeadChange, type SandboxAdmin, SandboxAdminError } from './admin';
import type { ConfigPatch } from './options';
import { decodeSegment } from './routes';

export interface AdminReply {
	status: number;
	body: unknown;
}

type Body = Record<string, unknown>;

const ok = (body: unknown): AdminReply => ({ status: 200, body });

function optionalInteger(body: Body, key: string): number | undefined {
	const value = body[key];
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isInteger(value))
		throw new SandboxAdminError(`${key} must be an integer`, 400);
	return value;
}

export function serveAdmin(
	admin: SandboxAdmin,
	method: string,
	pathname: string,
	rawBody: string,
): AdminReply {
	let body: Body = {};
	if (rawBody.trim() !== '') {
		try {
			body = JSON.parse(rawBody) as Body;
		} catch (error) {
			return {
				status: 400,
				body: { error: `Body is not valid JSON: ${(error as Error).message}` },
			};
		}
		if (typeof body !== 'object' || body === null || Array.isArray(body))
			return { status: 400, body: { error: 'Body must be a JSON object' } };
	}
	const path = pathname.replace(/^\/__sandbox/, '').replace(/\/$/, '') || '/';
	const lead = /^\/leads\/([^/]+)(\/change)?$/.exec(path);
	const route = `${method} ${lead ? (lead[2] ? '/leads/:id/change' : '/leads/:id') : path}`;
	try {
		switch (route) {
			case 'GET /':
				return ok({ routes: ADMIN_ROUTES });
			case 'POST /reset':
				admin.reset();
				return ok({ reset: true, seed: admin.config().seed });
			case 'POST /seed': {
				const seed = optionalInteger(body, 'seed');
				if (seed === undefined) throw new SandboxAdminError('seed is required', 400);
				admin.reseed(seed);
				return ok({ reset: true, seed });
			}
			case 'GET /config':
				return ok(admin.config());
			case 'POST /config':
			case 'PATCH /config':
				return ok(admin.configure(body as ConfigPatch));
			case 'GET /counters':
				return ok(admin.counters());
			case 'GET /leads':
				return ok(admin.listLeads());
			case 'GET /leads/:id': {
				const found = admin.getLead(decodeSegment(lead![1]));
				return found ? ok(found) : { status: 404, body: { error: `Unknown lead ${lead![1]}` } };
			}
			case 'POST /leads/:id/change':
				return ok(admin.changeLead(decodeSegment(lead![1]), body as LeadChange));
			case 'POST /random-changes': {
				const count = optionalInteger(body, 'count') ?? 1;
				return ok(admin.randomChanges(count, optionalInteger(body, 'seed')));
			}
			case 'POST /marketing-leads': {
				const emptyPartnerId = body.emptyPartnerId;
				if (emptyPartnerId !== undefined && typeof emptyPartnerId !== 'boolean')
					throw new SandboxAdminError('emptyPartnerId must be a boolean', 400);
				return ok(
					admin.createMarketingLeads(optionalInteger(body, 'count') ?? 1, {
						seed: optionalInteger(body, 'seed'),
						emptyPartnerId,
					}),
				);
			}
			case 'GET /changes':
				return ok(admin.changes());
			case 'GET /violations':
				return ok(admin.violations());
		}
		return {
			status: 404,
			body: { error: `No admin route ${method} ${pathname}`, routes: ADMIN_ROUTES },
		};
	} catch (error) {
		if (error instanceof SandboxAdminError)
			return { status: error.status, body: { error: error.message } };
		throw error;
	}
}

export const ADMIN_ROUTES = [
	'POST /__sandbox/reset',
	'POST /__sandbox/seed {seed}',
	'GET /__sandbox/config',
	'POST|PATCH /__sandbox/config {quota?, windowMs?, apiKeys?, faults?, days?, wire?, rateLimitHeaders?}',
	'GET /__sandbox/counters',
	'GET /__sandbox/leads',
	'GET /__sandbox/leads/:id',
	'POST /__sandbox/leads/:id/change {status?, dsOwnerEmail?, nextMilestone?, nextMilestoneDate?}',
	'POST /__sandbox/random-changes {count, seed?}',
	'POST /__sandbox/marketing-leads {count?, seed?, emptyPartnerId?}',
	'GET /__sandbox/changes',
	'GET /__sandbox/violations',
];
