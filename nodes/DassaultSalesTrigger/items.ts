/**
 * The one place where an emitted item's json is built (polls and Fetch Test Event).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { simplifyLeadOpportunity } from '../DassaultSales/shared';

import type { Emission } from './changes';
import type { TriggerSettings } from './settings';

/**
 * Items as the trigger emits them: what changed (`changedFields`, `previous`, `firstSeen`; not for
 * New Unassigned Lead), then the GET record (as the action node's Get, simplified as its
 * Simplify does) or its id and date.
 */
export function toItems(
	emissions: ReadonlyArray<Pick<Emission, 'record' | 'change'>>,
	settings: Pick<TriggerSettings, 'output'> & { simplify?: boolean },
): INodeExecutionData[] {
	return emissions.map(({ record, change }) => ({
		json: {
			...(change
				? {
						changedFields: [...change.changedFields],
						previous: change.previous ? { ...change.previous } : null,
						firstSeen: change.firstSeen,
					}
				: {}),
			...(settings.output === 'ids'
				? {
						dsLeadOpportunityId: record.dsLeadOpportunityId ?? null,
						modifiedDate: record.modifiedDate ?? null,
					}
				: settings.simplify
					? simplifyLeadOpportunity(record)
					: record),
		},
	}));
}
