import type { Command } from '../context';
import { CliError, optionString, parseArgs } from '../args';
import { printJson } from '../io';
import { CLI_ACTOR } from '../../lib/server/audit';
import { archiveBatch, batchListing, createBatch } from '../../lib/server/services/batches';
import { Refusal } from '../../lib/server/refusal';
import { beijingDateTime } from '../../lib/domain/time';

const USAGE = 'batch list [--json] | batch create --id ID --name NAME [--from ID] [--json] | batch archive ID';

/** `batch list`, `batch create`, `batch archive` (docs/bundle.md, "Batches, locking and publicity"). */
export const batchCommand: Command = {
	name: 'batch',
	summary: '评审批次：列出、新建（可从已有批次复制设置）、归档',
	usage: USAGE,
	run(argv, { db, io }) {
		const [sub, ...rest] = argv;
		try {
			if (sub === 'list') {
				const args = parseArgs(rest, { flags: ['json'] });
				const list = batchListing(db);
				if (args.options.has('json')) {
					printJson(io, {
						batches: list.map((b) => ({
							id: b.id,
							name: b.name,
							createdAt: b.createdAt,
							archived: b.archived,
							archivedAt: b.archivedAt,
							phase: b.phase,
							copiedFrom: b.copiedFrom,
							deadline: b.deadline,
							applications: b.applications,
							default: b.isDefault
						}))
					});
					return 0;
				}
				if (!list.length) io.out('数据库中还没有评审批次');
				for (const b of list) {
					io.out(`${b.isDefault ? '*' : ' '} ${b.id.padEnd(16)} ${b.name}  ${b.phaseLabel}  申报 ${b.applications} 项  建于 ${beijingDateTime(b.createdAt)}${b.copiedFrom ? `  复制自 ${b.copiedFrom}` : ''}`);
				}
				if (list.length) io.out('（* 为不指定 --batch 时使用的批次：最近新建且未归档的批次）');
				return 0;
			}
			if (sub === 'create') {
				const args = parseArgs(rest, { flags: ['json'], values: ['id', 'name', 'from'] });
				const id = optionString(args, 'id');
				const name = optionString(args, 'name');
				if (id === undefined || name === undefined) throw new CliError('用法：batch create --id ID --name NAME [--from ID]');
				const row = createBatch(db, { id, name, from: optionString(args, 'from') }, CLI_ACTOR);
				if (args.options.has('json')) printJson(io, { id: row.id });
				else io.err(`已新建批次 ${row.id}「${row.name}」${row.copiedFrom ? `（设置与评分细则复制自 ${row.copiedFrom}）` : ''}`);
				return 0;
			}
			if (sub === 'archive') {
				const args = parseArgs(rest, { positional: 1 });
				const id = args.positional[0];
				if (!id) throw new CliError('用法：batch archive ID');
				const r = archiveBatch(db, id, CLI_ACTOR);
				io.err(r.already ? `批次 ${id} 已经归档` : `已归档批次 ${id}：此后只能查看和导出`);
				return 0;
			}
		} catch (e) {
			if (e instanceof Refusal) throw new CliError(e.message);
			throw e;
		}
		throw new CliError(`用法：${USAGE}`);
	}
};
