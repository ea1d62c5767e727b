/**
 * Local sorting for Search and Portfolio Get Many: the API has no sort parameter, so the node
 * orders what it returns. Rules apply in order; empty values go last whatever the direction.
 */
import type { IDataObject } from 'n8n-workflow';

export interface SortRule {
	field: string;
	direction: 'asc' | 'desc';
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

const compareValues = (a: unknown, b: unknown): number => {
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return String(a).localeCompare(String(b), 'en', { numeric: true, sensitivity: 'base' });
};

/** The "Sort" fixed collection as n8n gives it (`{ property: [{ field, direction }] }`), checked. */
export function sortRules(value: unknown, fields: readonly string[]): SortRule[] {
	const rules = (value as { property?: unknown } | undefined)?.property;
	if (!Array.isArray(rules)) return [];
	return rules
		.map((rule) => rule as { field?: unknown; direction?: unknown })
		.filter((rule) => typeof rule.field === 'string' && fields.includes(rule.field))
		.map((rule) => ({
			field: rule.field as string,
			direction: rule.direction === 'desc' ? 'desc' : 'asc',
		}));
}

/** A sorted copy (stable: equal items keep the API's order); `valueOf` reads a rule's field. */
export function sortBy<T>(
	items: readonly T[],
	rules: readonly SortRule[],
	valueOf: (item: T, field: string) => unknown = (item, field) => (item as IDataObject)[field],
): T[] {
	if (rules.length === 0) return [...items];
	return [...items].sort((x, y) => {
		for (const { field, direction } of rules) {
			const a = valueOf(x, field);
			const b = valueOf(y, field);
			if (isEmpty(a) || isEmpty(b)) {
				if (isEmpty(a) !== isEmpty(b)) return isEmpty(a) ? 1 : -1;
				continue;
			}
			const order = compareValues(a, b);
			if (order !== 0) return direction === 'desc' ? -order : order;
		}
		return 0;
	});
}
