// Word lists the seeded store draws from. Invented companies and people; real product names.

export interface CustomerSeed {
	name: string;
	city: string;
	/** Free text as 3DS returns it: 'Germany', 'FRANCE', 'France' all occur (API-NOTES quirk 16). */
	country: string;
	currency: string;
	addressLine1: string;
	zipCode: string;
	statePrefecture: string | null;
	websiteUrl: string;
	vatPrefix: string | null;
}

export const CUSTOMERS: readonly CustomerSeed[] = [
	{ name: 'Kraillinger Maschinenbau GmbH', city: 'Stockdorf', country: 'Germany', currency: 'EUR', addressLine1: 'Kraillinger Strasse 5', zipCode: '82131', statePrefecture: 'Bayern', websiteUrl: 'www.kraillinger-mb.de', vatPrefix: 'DE' },
	{ name: 'Schwarzwald Präzisionsteile AG', city: 'Freiburg', country: 'GERMANY', currency: 'EUR', addressLine1: 'Industriestrasse 12', zipCode: '79108', statePrefecture: 'Baden-Württemberg', websiteUrl: 'www.sw-praezision.de', vatPrefix: 'DE' },
	{ name: 'Nordlicht Windenergie GmbH', city: 'Hamburg', country: 'Germany', currency: 'EUR', addressLine1: 'Am Sandtorkai 40', zipCode: '20457', statePrefecture: 'Hamburg', websiteUrl: 'www.nordlicht-wind.de', vatPrefix: 'DE' },
	{ name: 'Aéro Composites Occitanie SAS', city: 'Toulouse', country: 'France', currency: 'EUR', addressLine1: '3 avenue Didier Daurat', zipCode: '31700', statePrefecture: 'Haute-Garonne', websiteUrl: 'www.aero-composites.fr', vatPrefix: 'FR' },
	{ name: 'Mécanique de Précision du Rhône', city: 'Lyon', country: 'FRANCE', currency: 'EUR', addressLine1: '18 rue de Gerland', zipCode: '69007', statePrefecture: 'Rhône', websiteUrl: 'www.mprhone.fr', vatPrefix: 'FR' },
	{ name: 'Chantiers Navals de Bretagne', city: 'Lorient', country: 'France', currency: 'EUR', addressLine1: 'Quai du Péristyle', zipCode: '56100', statePrefecture: 'Morbihan', websiteUrl: 'www.cnbretagne.fr', vatPrefix: 'FR' },
	{ name: 'Pinnacle Aerospace Inc.', city: 'Seattle', country: 'United States', currency: 'USD', addressLine1: '1200 Boeing Field Way', zipCode: '98108', statePrefecture: 'WA', websiteUrl: 'www.pinnacle-aero.com', vatPrefix: null },
	{ name: 'Great Lakes Tooling LLC', city: 'Detroit', country: 'USA', currency: 'USD', addressLine1: '455 Woodward Ave', zipCode: '48226', statePrefecture: 'MI', websiteUrl: 'www.gltooling.com', vatPrefix: null },
	{ name: 'Lone Star Medical Devices Corp.', city: 'Austin', country: 'United States', currency: 'USD', addressLine1: '901 E 6th Street', zipCode: '78702', statePrefecture: 'TX', websiteUrl: 'www.lonestar-med.com', vatPrefix: null },
	{ name: 'Albion Marine Engineering Ltd', city: 'Southampton', country: 'United Kingdom', currency: 'GBP', addressLine1: '7 Ocean Way', zipCode: 'SO14 3JZ', statePrefecture: 'Hampshire', websiteUrl: 'www.albion-marine.co.uk', vatPrefix: 'GB' },
	{ name: 'Pennine Rail Systems plc', city: 'Derby', country: 'UK', currency: 'GBP', addressLine1: 'Litchurch Lane', zipCode: 'DE24 8AD', statePrefecture: 'Derbyshire', websiteUrl: 'www.pennine-rail.co.uk', vatPrefix: 'GB' },
	{ name: 'Officine Meccaniche Lombarde S.p.A.', city: 'Milano', country: 'Italy', currency: 'EUR', addressLine1: 'Via Gattamelata 34', zipCode: '20149', statePrefecture: 'MI', websiteUrl: 'www.oml-spa.it', vatPrefix: 'IT' },
	{ name: 'Hoshino Precision K.K.', city: 'Nagoya', country: 'Japan', currency: 'JPY', addressLine1: '2-14-1 Meieki', zipCode: '450-0002', statePrefecture: 'Aichi', websiteUrl: 'www.hoshino-precision.co.jp', vatPrefix: null },
	{ name: 'Sahyadri Auto Components Pvt Ltd', city: 'Pune', country: 'India', currency: 'INR', addressLine1: 'Plot 22, MIDC Chakan', zipCode: '410501', statePrefecture: 'Maharashtra', websiteUrl: 'www.sahyadri-auto.in', vatPrefix: null },
	{ name: 'Nordvik Industri AB', city: 'Göteborg', country: 'Sweden', currency: 'SEK', addressLine1: 'Lindholmspiren 3', zipCode: '417 56', statePrefecture: null, websiteUrl: 'www.nordvik.se', vatPrefix: 'SE' },
	{ name: 'Alpenwerk Medizintechnik AG', city: 'Basel', country: 'Switzerland', currency: 'CHF', addressLine1: 'Hochbergerstrasse 60', zipCode: '4057', statePrefecture: 'Basel-Stadt', websiteUrl: 'www.alpenwerk-med.ch', vatPrefix: 'CHE' },
	{ name: 'Talleres Ibéricos S.L.', city: 'Bilbao', country: 'Spain', currency: 'EUR', addressLine1: 'Calle Ercilla 24', zipCode: '48011', statePrefecture: 'Bizkaia', websiteUrl: 'www.talleres-ibericos.es', vatPrefix: 'ES' },
	{ name: 'Van der Berg High Tech B.V.', city: 'Eindhoven', country: 'Netherlands', currency: 'EUR', addressLine1: 'High Tech Campus 9', zipCode: '5656 AE', statePrefecture: 'Noord-Brabant', websiteUrl: 'www.vdberg-hightech.nl', vatPrefix: 'NL' },
	{ name: 'Boreal Mining Systems Inc.', city: 'Sudbury', country: 'Canada', currency: 'CAD', addressLine1: '200 Brady Street', zipCode: 'P3E 5K3', statePrefecture: 'ON', websiteUrl: 'www.borealmining.ca', vatPrefix: null },
	{ name: 'Embraforma Indústria Ltda', city: 'São José dos Campos', country: 'Brazil', currency: 'BRL', addressLine1: 'Av. Brigadeiro Faria Lima 2170', zipCode: '12227-000', statePrefecture: 'SP', websiteUrl: 'www.embraforma.com.br', vatPrefix: null },
	{ name: 'Hanbit Shipbuilding Co., Ltd.', city: 'Busan', country: 'South Korea', currency: 'KRW', addressLine1: '55 Jungang-daero', zipCode: '48939', statePrefecture: null, websiteUrl: 'www.hanbit-ship.co.kr', vatPrefix: null },
	{ name: 'Suzhou Jingwei Electronics Co., Ltd.', city: 'Suzhou', country: 'China', currency: 'CNY', addressLine1: '88 Xinghu Street', zipCode: '215123', statePrefecture: 'Jiangsu', websiteUrl: 'www.jingwei-elec.cn', vatPrefix: null },
	{ name: 'Pilbara Geoservices Pty Ltd', city: 'Perth', country: 'Australia', currency: 'AUD', addressLine1: '140 St Georges Terrace', zipCode: '6000', statePrefecture: 'WA', websiteUrl: 'www.pilbara-geo.com.au', vatPrefix: null },
	{ name: 'Kestrel BioPharma Ltd', city: 'Cambridge', country: 'United Kingdom', currency: 'GBP', addressLine1: '25 Cambridge Science Park', zipCode: 'CB4 0FW', statePrefecture: 'Cambridgeshire', websiteUrl: 'www.kestrel-bio.co.uk', vatPrefix: 'GB' },
	{ name: 'Vistula Furniture Group S.A.', city: 'Poznań', country: 'Poland', currency: 'PLN', addressLine1: 'ul. Głogowska 31', zipCode: '60-702', statePrefecture: 'Wielkopolskie', websiteUrl: 'www.vistula-furniture.pl', vatPrefix: 'PL' },
];

/** 3DS Partner Sales Managers; the first is the "primary PSM" creates default to. */
export const PSM_EMAILS: readonly string[] = [
	'john.doe@3ds.com',
	'marie.lefebvre@3ds.com',
	'thomas.mueller@3ds.com',
	'priya.raman@3ds.com',
	'kenji.watanabe@3ds.com',
	'laura.bianchi@3ds.com',
	'david.okafor@3ds.com',
	'sofia.lindqvist@3ds.com',
];

export const PROJECT_TOPICS: readonly string[] = [
	'3DEXPERIENCE platform rollout',
	'CATIA V5 to 3DEXPERIENCE migration',
	'SOLIDWORKS seats expansion',
	'SIMULIA Abaqus crash simulation',
	'DELMIA shop-floor MES pilot',
	'ENOVIA PLM harmonisation',
	'MBSE with CATIA Magic (STEP 1+2)',
	'GEOVIA Surpac mine planning',
	'BIOVIA ELN deployment',
	'Composite design for wing panels',
	'Digital twin pilot',
	'Renewal and upgrade FY26',
	'Additive manufacturing workflow',
	'Cable harness design',
	'Ship design on 3DEXPERIENCE',
	'Sheet metal design training',
	'Virtual commissioning of assembly line',
	'Electromagnetic compatibility study',
	'Cleanroom layout and ergonomics',
	'Supplier collaboration portal',
];

export const FIRST_NAMES: readonly string[] = [
	'Anna', 'Lukas', 'Camille', 'Hugo', 'Emily', 'James', 'Giulia', 'Marco', 'Yuki', 'Haruto',
	'Aarav', 'Ananya', 'Erik', 'Ingrid', 'Lucía', 'Javier', 'Sanne', 'Daan', 'Olivia', 'Noah',
];

export const LAST_NAMES: readonly string[] = [
	'Schneider', 'Fischer', 'Martin', 'Bernard', 'Johnson', 'Smith', 'Rossi', 'Esposito', 'Tanaka', 'Sato',
	'Sharma', 'Patel', 'Andersson', 'Nilsson', 'García', 'Fernández', 'de Vries', 'Jansen', 'Brown', 'Wilson',
];

export const JOB_TITLES: readonly string[] = [
	'R&D Director',
	'Head of Engineering',
	'CAD Manager',
	'Chief Technology Officer',
	'PLM Project Lead',
	'Simulation Team Lead',
	'Purchasing Manager',
	'Manufacturing Engineering Manager',
	'',
];

export const SALUTATIONS: readonly string[] = ['Mr', 'Ms', 'Dr', 'M.', 'Mrs'];

export const COMPETITORS: readonly string[] = [
	'Siemens Digital Industries Software',
	'PTC',
	'Autodesk',
	'Ansys',
	'Hexagon',
	'Altair',
	'Bentley Systems',
	'AVEVA',
];

export const MILESTONES: readonly string[] = [
	'Customer demo',
	'Technical workshop',
	'Send quotation',
	'Proof of concept review',
	'Negotiation meeting',
	'Executive sponsor call',
	'Benchmark results presentation',
	'Next activity is to make a demo to the Customer',
];

export const DESCRIPTIONS: readonly string[] = [
	'Pilot project with the design office, extension to production planned',
	'Customer evaluates a move from a competitor CAD',
	'Budget approved for next fiscal year',
	'Inbound request from trade show',
	'Renewal with added simulation seats',
	'Projekt Dashboard - Big-Picture TopicPilotprojekt',
];

export const WON_LOST_COMMENTS: readonly string[] = [
	'The Customer has no budget',
	'Strong fit with existing SOLIDWORKS installed base',
	'Competitor offered a lower price',
	'Decision postponed to next year',
	'Won after a successful benchmark',
];
