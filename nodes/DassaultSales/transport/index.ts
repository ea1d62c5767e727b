export * from './client';
export * from './environments';
export * from './errors';
export * from './paths';
export * from './rateLimit';
export * from './leadOpportunities';
export * from './portfolioItems';
export * from './concurrency';
