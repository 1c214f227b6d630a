import { schemaVersion } from '../../lib/server/db';
import type { Command } from '../context';
import { parseArgs } from '../args';

export const migrateCommand: Command = {
	name: 'migrate',
	summary: '创建或升级数据库结构',
	usage: 'migrate',
	run(argv, { db, io, dbPath }) {
		parseArgs(argv, {});
		// The database was migrated when it was opened; report where and at which version.
		io.err(`数据库 ${dbPath} 已是最新结构（版本 ${schemaVersion(db)}）`);
		return 0;
	}
};
