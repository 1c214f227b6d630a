/** File importers beyond the JSON bundle, by extension. Each throws BundleImportError or CliError. */
import type { Db } from '../lib/server/db';

export type Importer = (db: Db, data: Buffer, file: string) => Promise<Record<string, number>>;

export const importers: Record<string, Importer> = {};
