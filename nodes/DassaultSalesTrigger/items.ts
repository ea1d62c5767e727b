/**
 * The one place where an emitted item's json is built (polls and Fetch Test Event).
 * INTEGRATOR (issue 21): the Simplify option's call goes on `record` here.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import type { Emission } from './changes';
import type { TriggerSettings } from './settings';

/**
 * Items as the trigger emits them: what changed (`changedFields`, `previous`, `firstSeen`; not for
 * New Unassigned Lead), then the GET record (as the action node's Get) or its id and date.
 */
export function toItems(
	emissions: ReadonlyArray<Pick<Emission, 'record' | 'change'>>,
	settings: Pick<TriggerSettings, 'output'>,
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
				: record),
		},
	}));
}
