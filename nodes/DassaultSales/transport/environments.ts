/** The five servers of the spec, by the name the credential shows. `custom` takes a base URL (a proxy, the local sandbox). */
export const ENVIRONMENTS = {
	production: { name: 'Production', url: 'https://apigw-prd.3ds.com' },
	partnerDevelopment: { name: 'Partner Development', url: 'https://apigw-ppt.3ds.com' },
	qualityAssurance: { name: 'Quality Assurance', url: 'https://apigw-qal.3ds.com' },
	preProduction: { name: 'Pre-Production', url: 'https://apigw-ptd.3ds.com' },
	postProduction: { name: 'Post-Production', url: 'https://apigw-ppd.3ds.com' },
} as const;

export type EnvironmentKey = keyof typeof ENVIRONMENTS | 'custom';

export const CREDENTIAL_TYPE = 'dassaultSalesApi';
