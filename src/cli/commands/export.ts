import fs from 'node:fs';
import path from 'node:path';
import { cliScope, type Command } from '../context';
import { defaultBatchRow } from '../../lib/server/scope';
import { BUNDLE_FORMAT, BUNDLE_VERSION } from '../../lib/domain/bundle';
import { CliError, optionString, parseArgs } from '../args';
import { exportBundle, loadExperts, loadInstitutions } from '../../lib/server/queries/bundle';

/** What the export holds and what the database needs besides it (personal data, keys). */
export const EXPORT_NOTICE =
	'注意：数据包中的身份证号和电话为明文（数据包格式的要求），请按个人信息妥善保管、用后删除；数据库中它们以 SM4 加密，数据库离开其密钥文件无法解密，数据包不含密钥。';

export const exportCommand: Command = {
	name: 'export',
	summary: '把一个批次导出为评审数据包（JSON），含其引用的机构和专家库',
	usage: 'export --out FILE',
	scoped: true,
	run(argv, ctx) {
		const { db, io } = ctx;
		const args = parseArgs(argv, { values: ['out'] });
		const out = optionString(args, 'out');
		if (!out || args.positional.length) throw new CliError('用法：export --out FILE');
		const dir = path.dirname(path.resolve(out));
		if (!fs.existsSync(dir)) throw new CliError(`${out}: 目录 ${dir} 不存在`);
		// A database without any batch yet (experts or institutions only) exports what it holds.
		const bundle =
			!ctx.batchId && !defaultBatchRow(db)
				? { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, institutions: loadInstitutions(db), applications: [], experts: loadExperts(db), rubrics: [], assignments: [], declarations: [], scores: [], decisions: [] }
				: exportBundle(cliScope(ctx));
		const text = JSON.stringify(bundle, null, 2) + '\n';
		const tmp = `${out}.tmp-${process.pid}`;
		fs.writeFileSync(tmp, text);
		fs.renameSync(tmp, out);
		io.err(`已导出到 ${out}`);
		io.err(EXPORT_NOTICE);
		return 0;
	}
};
