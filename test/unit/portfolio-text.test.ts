// Portfolio Item › Get Many's "Text" filter: what an AI tool fills with a user's words ("CATIA V5
// on cloud"). Every word must appear, case-insensitive, in the id, type, infrastructure or levels.
import nock from 'nock';

import { API } from '../helpers/fixtures';
import { runNode, TEST_BASE_URL } from '../helpers/n8n';

const item = (id: string, level1: string, level2: string, infrastructure: string) => ({
	salesPortfolioId: id,
	salesPortfolioType: 'Brand',
	salesPortfolioInfrastructure: infrastructure,
	salesPortfolioisOrderable: true,
	salesPortfolioLevel1: level1,
	salesPortfolioLevel2: level2,
	salesPortfolioLevel3: 'Mechanical Designer',
});

const items = [
	item('CLASS00001_ONPR_CATIAV5_SOL000001', 'CATIA', 'CATIA V5', 'On Premise'),
	item('CLASS00001_ONCL_CATIA3DX_SOL000002', 'CATIA', 'CATIA 3DEXPERIENCE', 'On Cloud'),
	item('CLASS00001_ONCL_SWX_SOL000003', 'SOLIDWORKS', 'Design', 'On Cloud'),
];

async function getMany(text: string, extra: Record<string, unknown> = {}) {
	nock(TEST_BASE_URL)
		.get(`${API}/v0/portfolio-items/search`)
		.query({ skip: 0, top: 1000 })
		.reply(200, {
			data: items,
			info: { success: true, statusCode: 200, timeStamp: null, estimatedSearchCount: 3 },
		});
	const output = await runNode({
		parameters: {
			resource: 'portfolioItem',
			operation: 'getMany',
			returnAll: true,
			filters: { text, ...extra },
			simplify: true,
		},
	});
	return output.map((o) => o.json.offerNameId);
}

it('keeps the items holding every word, whatever the case and the field', async () => {
	expect(await getMany('catia v5')).toEqual(['CLASS00001_ONPR_CATIAV5_SOL000001']);
	expect(await getMany('  CLOUD  catia ')).toEqual(['CLASS00001_ONCL_CATIA3DX_SOL000002']);
	expect(await getMany('designer')).toHaveLength(3);
	expect(await getMany('ENOVIA')).toEqual([]);
});

it('combines with the other filters, and an empty text keeps everything', async () => {
	expect(await getMany('on cloud', { level1: 'solidworks' })).toEqual([
		'CLASS00001_ONCL_SWX_SOL000003',
	]);
	expect(await getMany('')).toHaveLength(3);
});
