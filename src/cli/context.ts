import { openDatabase, migrate, databasePath, type Db } from '../lib/server/db';
import type { Io } from './io';

export type Ctx = { db: Db; io: Io; dbPath: string };
export type Command = {
	name: string;
	summary: string;
	usage: string;
	run(argv: string[], ctx: Ctx): Promise<number> | number;
};

export function openForCli(dbPath: string | undefined): { db: Db; dbPath: string } {
	const file = databasePath(dbPath ?? process.env.DATABASE_URL);
	const db = openDatabase(file);
	migrate(db);
	return { db, dbPath: file };
}
