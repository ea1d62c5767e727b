// The sales portfolio (GET portfolio-items/search): a few thousand items on a brand / product line /
// domain hierarchy, with ids shaped like the real ones (`CLASS00002_ONPR_PRTF077_SOL001277`).
import type { Rng } from './prng';
import type { PortfolioItem } from './types';

interface ProductLine {
	level2: string;
	/** Middle id segment for Brand items, as in `CLASS00001_ONPR_CATIAV4_SOL000038`. */
	code: string;
	domains: readonly string[];
}

const BRANDS: ReadonlyArray<{ level1: string; lines: readonly ProductLine[] }> = [
	{
		level1: 'CATIA',
		lines: [
			{
				level2: 'CATIA V4',
				code: 'CATIAV4',
				domains: ['MANUFACTURING', 'MECHANICAL DESIGN', 'SHAPE DESIGN'],
			},
			{
				level2: 'CATIA V5',
				code: 'CATIAV5',
				domains: [
					'MECHANICAL DESIGN',
					'SHAPE DESIGN',
					'ELECTRICAL',
					'COMPOSITES',
					'MACHINING',
					'ANALYSIS',
				],
			},
			{
				level2: 'CATIA 3DEXPERIENCE',
				code: 'CATIA3DX',
				domains: [
					'MECHANICAL DESIGN',
					'SYSTEMS ENGINEERING',
					'ELECTRICAL & FLUID',
					'SHAPE DESIGN & STYLING',
					'COMPOSITES',
					'ARCHITECTURE & CONSTRUCTION',
				],
			},
			{
				level2: 'CATIA MAGIC',
				code: 'CATMAGIC',
				domains: ['SYSTEMS ENGINEERING', 'CYBER SYSTEMS', 'SIMULATION'],
			},
		],
	},
	{
		level1: 'SOLIDWORKS',
		lines: [
			{
				level2: 'SOLIDWORKS DESKTOP',
				code: 'SWDESK',
				domains: ['3D CAD', 'SIMULATION', 'PDM', 'ELECTRICAL', 'INSPECTION', 'COMPOSER'],
			},
			{
				level2: '3DEXPERIENCE WORKS',
				code: '3DXWORKS',
				domains: ['DESIGN', 'SIMULATION', 'MANUFACTURING', 'DATA MANAGEMENT'],
			},
			{ level2: 'SOLIDWORKS EDUCATION', code: 'SWEDU', domains: ['ACADEMIC', 'STUDENT'] },
		],
	},
	{
		level1: 'ENOVIA',
		lines: [
			{
				level2: 'ENOVIA V6',
				code: 'ENOVIAV6',
				domains: ['PRODUCT DEVELOPMENT', 'PROGRAM MANAGEMENT', 'QUALITY & COMPLIANCE'],
			},
			{
				level2: 'ENOVIA 3DEXPERIENCE',
				code: 'ENOV3DX',
				domains: [
					'COLLABORATIVE INNOVATION',
					'BOM MANAGEMENT',
					'REQUIREMENTS',
					'SUPPLIER COLLABORATION',
				],
			},
			{ level2: 'ENOVIA SMARTEAM', code: 'SMARTEAM', domains: ['DATA MANAGEMENT'] },
		],
	},
	{
		level1: 'SIMULIA',
		lines: [
			{ level2: 'ABAQUS', code: 'ABAQUS', domains: ['STRUCTURES', 'MULTIPHYSICS'] },
			{
				level2: 'SIMULIA 3DEXPERIENCE',
				code: 'SIMU3DX',
				domains: ['STRUCTURES', 'FLUIDS', 'ELECTROMAGNETICS', 'ACOUSTICS', 'MULTIBODY'],
			},
			{ level2: 'CST STUDIO SUITE', code: 'CSTSTUDIO', domains: ['ELECTROMAGNETICS'] },
			{ level2: 'POWERFLOW', code: 'POWERFLOW', domains: ['FLUIDS', 'AEROACOUSTICS'] },
			{ level2: 'ISIGHT', code: 'ISIGHT', domains: ['PROCESS AUTOMATION', 'OPTIMIZATION'] },
		],
	},
	{
		level1: 'DELMIA',
		lines: [
			{
				level2: 'DELMIA V5',
				code: 'DELMIAV5',
				domains: ['ROBOTICS', 'ASSEMBLY PLANNING', 'ERGONOMICS'],
			},
			{
				level2: 'DELMIA APRISO',
				code: 'APRISO',
				domains: ['MANUFACTURING OPERATIONS', 'QUALITY', 'WAREHOUSE'],
			},
			{
				level2: 'DELMIA QUINTIQ',
				code: 'QUINTIQ',
				domains: ['PLANNING & SCHEDULING', 'WORKFORCE', 'LOGISTICS'],
			},
			{
				level2: 'DELMIA 3DEXPERIENCE',
				code: 'DELM3DX',
				domains: ['MANUFACTURING ENGINEERING', 'VIRTUAL COMMISSIONING', 'MACHINING'],
			},
		],
	},
	{
		level1: '3DEXPERIENCE',
		lines: [
			{
				level2: '3DEXPERIENCE PLATFORM',
				code: 'PLATFORM',
				domains: ['COLLABORATION', 'DASHBOARDS', 'DATA SCIENCE', 'INDUSTRY SOLUTION EXPERIENCES'],
			},
			{ level2: '3DEXCITE', code: '3DEXCITE', domains: ['MARKETING & SALES', 'VISUALIZATION'] },
			{ level2: '3DEXPERIENCE EDU', code: '3DXEDU', domains: ['ACADEMIC', 'CERTIFICATION'] },
		],
	},
	{
		level1: 'GEOVIA',
		lines: [
			{ level2: 'GEOVIA SURPAC', code: 'SURPAC', domains: ['GEOLOGY', 'MINE PLANNING'] },
			{ level2: 'GEOVIA GEMS', code: 'GEMS', domains: ['GEOLOGY', 'RESOURCE ESTIMATION'] },
			{ level2: 'GEOVIA WHITTLE', code: 'WHITTLE', domains: ['STRATEGIC PLANNING'] },
			{ level2: 'GEOVIA MINESCHED', code: 'MINESCHED', domains: ['SCHEDULING'] },
		],
	},
	{
		level1: 'BIOVIA',
		lines: [
			{ level2: 'BIOVIA DISCOVERY STUDIO', code: 'DSTUDIO', domains: ['MODELING & SIMULATION'] },
			{
				level2: 'BIOVIA PIPELINE PILOT',
				code: 'PIPEPILOT',
				domains: ['DATA SCIENCE', 'AUTOMATION'],
			},
			{ level2: 'BIOVIA LAB INFORMATICS', code: 'LABINFO', domains: ['ELN', 'LIMS', 'LES'] },
			{ level2: 'BIOVIA MATERIALS STUDIO', code: 'MSTUDIO', domains: ['MATERIALS SCIENCE'] },
		],
	},
	{
		level1: 'CENTRIC PLM',
		lines: [
			{ level2: 'CENTRIC PLM', code: 'CENTRIC', domains: ['FASHION & RETAIL', 'CONSUMER GOODS'] },
		],
	},
	{
		level1: 'DRAFTSIGHT',
		lines: [{ level2: 'DRAFTSIGHT', code: 'DRAFTSGT', domains: ['2D CAD'] }],
	},
	{
		level1: 'NETVIBES',
		lines: [
			{ level2: 'NETVIBES', code: 'NETVIBES', domains: ['INFORMATION INTELLIGENCE', 'SEMANTICS'] },
		],
	},
];

// Item types, by their CLASS number in the id, and the middle id segment of non-Brand items.
const TYPES: ReadonlyArray<readonly [type: string, weight: number, prefix: string]> = [
	['Brand', 30, ''],
	['Portfolio', 25, 'PRTF'],
	['Industry Solution Experience', 15, 'ISE'],
	['Role', 15, 'ROLE'],
	['Service', 10, 'SRV'],
	['Education', 5, 'EDU'],
];

interface Leaf {
	level1: string;
	line: ProductLine;
	level3: string;
	index: number;
}

const LEAVES: readonly Leaf[] = BRANDS.flatMap(({ level1, lines }) =>
	lines.flatMap((line) => line.domains.map((level3) => ({ level1, line, level3 }))),
).map((leaf, index) => ({ ...leaf, index }));

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function generatePortfolio(rng: Rng, count: number): PortfolioItem[] {
	const items: PortfolioItem[] = [];
	let sol = rng.int(1, 400);
	for (let i = 0; i < count; i++) {
		const leaf = rng.pick(LEAVES);
		const typeIndex = rng.weighted(TYPES.map(([, weight], index) => [index, weight] as const));
		const [type, , prefix] = TYPES[typeIndex];
		const onCloud = rng.chance(leaf.line.code.includes('3DX') ? 0.7 : 0.35);
		const middle = prefix ? `${prefix}${pad(leaf.index, 3)}` : leaf.line.code;
		// Gaps in the SOL sequence, as in a catalog where items were retired.
		sol += rng.int(1, 3);
		items.push({
			salesPortfolioType: type,
			salesPortfolioInfrastructure: onCloud ? 'On Cloud' : 'On Premise',
			salesPortfolioisOrderable: rng.chance(0.85),
			salesPortfolioLevel1: leaf.level1,
			salesPortfolioLevel2: leaf.line.level2,
			salesPortfolioLevel3: leaf.level3,
			salesPortfolioId: `CLASS${pad(typeIndex + 1, 5)}_${onCloud ? 'ONCL' : 'ONPR'}_${middle}_SOL${pad(sol, 6)}`,
		});
	}
	// Listed in id order, so paging walks a stable, readable sequence.
	return items.sort((a, b) =>
		a.salesPortfolioId < b.salesPortfolioId ? -1 : a.salesPortfolioId > b.salesPortfolioId ? 1 : 0,
	);
}
