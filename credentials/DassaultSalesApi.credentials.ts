import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { ENVIRONMENTS } from '../nodes/DassaultSales/shared';

const environmentUrl = Object.entries(ENVIRONMENTS)
	.map(([key, { url }]) => `$credentials.environment === '${key}' ? '${url}' : `)
	.join('');

export class DassaultSalesApi implements ICredentialType {
	name = 'dassaultSalesApi';

	displayName = 'Dassault Systèmes Sales API';

	icon: Icon = {
		light: 'file:../icons/dassault-systemes.svg',
		dark: 'file:../icons/dassault-systemes.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-dassault-sales/n8n-nodes-dassault-sales?tab=readme-ov-file#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The API4Partners key 3DS gave you for this environment, sent as the X-API-Key header',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'production',
			options: [
				...Object.entries(ENVIRONMENTS).map(([value, { name, url }]) => ({
					name,
					value,
					description: url,
				})),
				{
					name: 'Custom URL',
					value: 'custom',
					description: 'A proxy, or the local sandbox (http://127.0.0.1:4010)',
				},
			],
			description: 'Which 3DS API gateway the key belongs to',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:4010',
			placeholder: 'e.g. https://apigw-ppt.3ds.com',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
			description: 'Root of the API, without /sales/api4partners',
		},
		{
			displayName: 'Partner ID',
			name: 'partnerId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 200000000014442',
			description:
				'Your legal-entity ID in the 3DS system, sent as partnerId with every create and update (a node can override it)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-API-Key': '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{${environmentUrl}$credentials.baseUrl.replace(/\\/+$/, '')}}`,
			url: '/sales/api4partners/v0/portfolio-items/search',
			qs: { top: 1 },
		},
	};
}
