/**
 * Key rotation (`cli keys rotate`), with the server stopped:
 * 1. the audit log is verified with the current keys (a broken log is not rotated over);
 * 2. the key file gets new audit and data keys; the old audit key is kept as retired for the entries
 *    it signed (they are never rewritten, so heads printed on earlier memos stay checkable), the old
 *    data key only until step 3 is done (so a crash in between loses nothing: run it again);
 * 3. one transaction re-encrypts every ID number and phone with fresh digests and appends
 *    `keys.rotate`, which reseals the head under the new audit key;
 * 4. the retired data key is dropped from the key file, and the log is verified again.
 */
import fs from 'node:fs';
import { migrate, openDatabase, type Db } from './db';
import { audit, CLI_ACTOR, verifyAudit } from './audit';
import { dropRetiredDataKeys, keyFileFor, KeyError, requireKeys, rotateKeyFile } from './keys';
import { reencryptAll } from './personal-data';
import { databaseInUse } from './backup';

export type Rotation = { keyFile: string; retiredUpTo: number; reencrypted: number; entries: number };

function withDatabase<T>(file: string, fn: (db: Db) => T): T {
	const db = openDatabase(file);
	try {
		return fn(db);
	} finally {
		db.$client.close();
	}
}

export function rotateKeys(file: string): Rotation {
	const keyFile = keyFileFor(file);
	if (!keyFile) throw new KeyError('内存数据库没有密钥文件，无需轮换');
	if (!fs.existsSync(file)) throw new KeyError(`${file}: 数据库文件不存在`);
	if (!fs.existsSync(keyFile)) throw new KeyError(`找不到密钥文件 ${keyFile}，无法轮换`);
	if (databaseInUse(file)) throw new KeyError(`${file}: 数据库正被其他进程使用（如正在运行的服务器），请先停止服务器再轮换密钥`);
	const before = withDatabase(file, (db) => {
		migrate(db);
		return verifyAudit(db);
	});
	if (before.first) {
		throw new KeyError(`审计日志校验未通过（第 ${before.first.id} 条：${before.first.problem}），请先查明原因，不在被改动的日志上轮换密钥`);
	}
	const retiredUpTo = before.head?.lastId ?? 0;
	rotateKeyFile(keyFile, retiredUpTo);
	const reencrypted = withDatabase(file, (db) =>
		db.transaction((tx) => {
			const n = reencryptAll(tx, requireKeys(tx));
			audit(tx, CLI_ACTOR, 'keys.rotate', null, null, { auditKeyRetiredUpTo: retiredUpTo, reencrypted: n });
			return n;
		})
	);
	dropRetiredDataKeys(keyFile);
	const after = withDatabase(file, (db) => verifyAudit(db));
	if (after.first) throw new KeyError(`轮换后审计日志校验未通过（第 ${after.first.id} 条：${after.first.problem}）`);
	return { keyFile, retiredUpTo, reencrypted, entries: after.entries };
}
