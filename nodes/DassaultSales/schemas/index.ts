export * from './enums';
export * from './dates';
export * from './requests';
export * as responses from './responses';
