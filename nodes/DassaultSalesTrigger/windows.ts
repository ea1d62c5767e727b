/**
 * Which time windows a poll searches: [cursor - OVERLAP, now], cut at remembered modifiedDates and
 * into the API's 7-day maximum (docs/trigger-exactness.md, 1. and 3.).
 */
import {
	MAX_SEARCH_WINDOW_MS,
	splitIntoWindows,
	type SearchCriteria,
} from '../DassaultSales/shared';
import type { TriggerSettings } from './settings';

/** How far each poll looks back before its cursor: server clocks and commit lag. */
export const OVERLAP_MS = 60_000;
/** At most this many extra cuts (one search each) per poll; ids beyond them are simply fetched. */
export const MAX_CUTS = 50;
/** Windows shorter than this are not halved any more. */
export const MIN_SPLIT_MS = 1_000;

/** Inclusive bounds, epoch ms. */
export interface Window {
	from: number;
	to: number;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** The search of one window, for the event (New Unassigned Lead adds "no partner id"). */
export function criteria(settings: TriggerSettings, window: Window): SearchCriteria {
	return {
		modifiedDate: { fromDate: iso(window.from), toDate: iso(window.to) },
		...(settings.event === 'unassignedLead' ? { partnerLeadOpportunityId: '' as const } : {}),
	};
}

/** The two halves of a window, sharing the middle bound. */
export function halves(window: Window): [Window, Window] {
	const middle = Math.floor((window.from + window.to) / 2);
	return [
		{ from: window.from, to: middle },
		{ from: middle, to: window.to },
	];
}

/**
 * [lower, upper] cut at every remembered modifiedDate strictly inside it (at most MAX_CUTS, those
 * shared by most ids first), then into windows of at most 7 days. Bounds are inclusive and shared.
 */
export function planWindows(lower: number, upper: number, seen: Map<string, number>): Window[] {
	const idsAt = new Map<number, number>();
	for (const at of seen.values()) {
		if (at > lower && at < upper) idsAt.set(at, (idsAt.get(at) ?? 0) + 1);
	}
	const cuts = [...idsAt.keys()]
		.sort((a, b) => (idsAt.get(b) ?? 0) - (idsAt.get(a) ?? 0) || b - a)
		.slice(0, MAX_CUTS)
		.sort((a, b) => a - b);
	const points = [lower, ...cuts, upper];
	const windows: Window[] = [];
	for (let i = 1; i < points.length; i++) {
		for (const { fromDate, toDate } of splitIntoWindows(
			points[i - 1],
			points[i],
			MAX_SEARCH_WINDOW_MS,
		)) {
			windows.push({ from: Date.parse(fromDate), to: Date.parse(toDate) });
		}
	}
	return windows;
}

/**
 * The id was found in `window`, so its modifiedDate now is within it; if the window ends at or
 * before the modifiedDate already processed, that is the one it still has.
 */
export const knownUnchanged = (seen: Map<string, number>, id: string, window: Window) => {
	const at = seen.get(id);
	return at !== undefined && window.to <= at;
};
