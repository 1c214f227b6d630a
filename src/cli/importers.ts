/** File importers beyond the JSON bundle, by extension. Each throws BundleImportError or CliError. */
import type { Db } from '../lib/server/db';
import { CLI_ACTOR } from '../lib/server/audit';

export type Importer = (db: Db, data: Buffer, file: string, batchId?: string) => Promise<Record<string, number>>;

export const importers: Record<string, Importer> = {
	/** The app's Excel intake template (申报信息采集表); loaded on demand, exceljs is large. */
	'.xlsx': async (db, data, file, batchId) => (await import('../lib/server/import/xlsx')).importIntakeWorkbook(db, data, CLI_ACTOR, file, { batchId }),
	/** A filled Annex 1 or Annex 2 (.docx): imported as a draft application. */
	'.docx': async (db, data, file, batchId) => (await (await import('../lib/server/import/docx')).importAnnexDocx(db, data, CLI_ACTOR, { fileName: file, batchId })).counts,
	/** The same forms saved by Word 97–2003 (.doc); read by content, the same draft. */
	'.doc': async (db, data, file, batchId) => (await (await import('../lib/server/import/docx')).importAnnexDocx(db, data, CLI_ACTOR, { fileName: file, batchId })).counts
};
