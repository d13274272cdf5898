/**
 * The NetSuite simulator: REST record service, SuiteQL and authentication (TBA and OAuth 2.0 M2M)
 * over one in-memory SQLite database. See `service.ts` for the entry point.
 */
export { createNetSuiteService } from './service';
export type { InactiveTable, NetSuiteService, NetSuiteServiceOptions, NetSuiteState } from './service';
export { NetSuiteShapeError } from './account-shape';
export type { CustomFieldSelectType, CustomFieldType, NetSuiteAccountShape, ShapeCustomField, ShapeCustomForm, ShapeListEntry, ShapeSubsidiary } from './account-shape';
export { CATALOG_PATH } from './metadata-catalog';
export type { NetSuiteRecordType, RestRecord } from './record-common';
export type { NetSuiteDeletedRecord, NetSuiteDeletionContext } from './deleted-records';
export type { NetSuiteAuthFailure, NetSuiteAuthFailureReason } from './auth';
export type { TokenBasedFailure } from './tba';
export type { OAuth2Failure } from './oauth2';
export { NetSuiteSimulatorError } from './errors';
export type { SuiteQLRow } from './suiteql';
export { SUITEQL_MAX_ROWS, SUITEQL_PATH } from './suiteql';
export { TOKEN_PATH } from './oauth2';
export { RECORD_PATH } from './record-common';
