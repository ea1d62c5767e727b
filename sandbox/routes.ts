// Routes come from the spec's paths; this file only recognises what each operation does.
import type { Spec } from './spec';
import type { ApiVersion } from './types';

export type OperationKind = 'create' | 'update' | 'get' | 'search' | 'portfolio';
export const OPERATION_KINDS: readonly OperationKind[] = [
	'create',
	'update',
	'get',
	'search',
	'portfolio',
];

export interface Route {
	operationId: string;
	kind: OperationKind;
	version: ApiVersion;
	method: string;
	pattern: RegExp;
}

function kindOf(method: string, path: string): OperationKind {
	if (path.endsWith('/portfolio-items/search')) return 'portfolio';
	if (path.endsWith('/leads-opportunities/search')) return 'search';
	if (method === 'POST') return 'create';
	if (method === 'PATCH') return 'update';
	return 'get';
}

export function buildRoutes(spec: Spec): Route[] {
	const routes = spec.operations.map((op): Route => {
		const source = op.path
			.split('/')
			.map((segment) =>
				segment === '{id}' ? '([^/]+)' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
			)
			.join('/');
		return {
			operationId: op.operationId,
			kind: kindOf(op.method, op.path),
			version: op.path.includes('/v1/') ? 'v1' : 'v0',
			method: op.method,
			pattern: new RegExp(`^${source}/?$`),
		};
	});
	// Literal paths first, so POST .../leads-opportunities/search is never read as an {id}.
	return routes.sort(
		(a, b) =>
			Number(a.pattern.source.includes('([^/]+)')) - Number(b.pattern.source.includes('([^/]+)')),
	);
}

export interface RouteMatch {
	route: Route;
	id?: string;
}

export function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment; // a malformed %-escape is just an id that will not be found
	}
}

export function matchRoute(
	routes: Route[],
	method: string,
	pathname: string,
): RouteMatch | undefined {
	for (const route of routes) {
		if (route.method !== method) continue;
		const m = route.pattern.exec(pathname);
		if (m) return { route, id: m[1] === undefined ? undefined : decodeSegment(m[1]) };
	}
	return undefined;
}

/** Whether a fault rule's `operations` list (operationIds or kinds) covers this route. */
export function routeSelected(route: Route, operations: readonly string[] | undefined): boolean {
	return !operations || operations.includes(route.operationId) || operations.includes(route.kind);
}
