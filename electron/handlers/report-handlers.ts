import { profileQuery } from '../catalog/profile-queries.js';
import { cadenceReport, growthReport, hotspotsReport, latestReport, validationReport } from '../catalog/report-queries.js';
import { describeSchema } from '../catalog/schema-queries.js';
import type { Channel } from '../shared/contract.js';
import type { reportContract } from '../shared/contract/report.js';
import type { HandlerGroup } from './handler-types.js';

type ReportChannel = keyof typeof reportContract & Channel;

/** Handlers of the report, schema and profile channels. */
export const reportHandlers: HandlerGroup<ReportChannel> = {
  'report:latest': (input, { catalog }) => catalog.read((conn) => latestReport(conn, input)),
  'report:growth': (input, { catalog }) => catalog.read((conn) => growthReport(conn, input)),
  'report:validation': (input, { catalog }) => catalog.read((conn) => validationReport(conn, input)),
  'report:hotspots': (input, { catalog }) => catalog.read((conn) => hotspotsReport(conn, input)),
  'report:cadence': (input, { catalog }) => catalog.read((conn) => cadenceReport(conn, input)),
  'catalog:schema': (_input, { catalog }) => catalog.read((conn) => describeSchema(conn)),
  'catalog:profile': ({ name, ...args }, { catalog }) => catalog.read((conn) => profileQuery(conn, name, args)),
};
