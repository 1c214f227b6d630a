/**
 * The operator command line: `npm run --silent cli -- COMMAND [options]` (docs/bundle.md).
 * Exit 0 on success; 1 with a one-line error on bad input, having changed nothing.
 */
import fs from 'node:fs';
import { CliError } from './args';
import { openForCli, type Command } from './context';
import { databasePath } from '../lib/server/db';
import { processIo, type Io } from './io';
import { migrateCommand } from './commands/migrate';
import { importCommand } from './commands/import';
import { exportCommand } from './commands/export';
import { userCommand } from './commands/user';
import { auditCommand } from './commands/audit';
import { checkCommand } from './commands/check';
import { coiCommand } from './commands/coi';
import { resultsCommand } from './commands/results';
import { memoCommand } from './commands/memo';
import { exportXlsxCommand } from './commands/export-xlsx';
import { assignCommand } from './commands/assign';
import { backupCommand, restoreCommand } from './commands/backup';
import { keysCommand } from './commands/keys';
import { batchCommand } from './commands/batch';
import { lockCommand, unlockCommand } from './commands/lock';

export const COMMANDS: Command[] = [
	migrateCommand,
	batchCommand,
	importCommand,
	exportCommand,
	checkCommand,
	coiCommand,
	assignCommand,
	resultsCommand,
	memoCommand,
	exportXlsxCommand,
	lockCommand,
	unlockCommand,
	userCommand,
	auditCommand,
	backupCommand,
	restoreCommand,
	keysCommand
];

function help(io: Io) {
	io.out('评审工作台 命令行\n用法：npm run --silent cli -- [--db PATH] COMMAND [选项]\n');
	for (const c of COMMANDS) io.out(`  ${c.usage.padEnd(40)}  ${c.summary}`);
	io.out('\n数据库：--db PATH，否则环境变量 DATABASE_URL，否则 data/workbench.db');
	io.out('批次：批次内的命令接受 --batch ID，否则为最近新建且未归档的批次');
}

/** Runs one command line; returns the exit code. Testable without a process. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
	const args = [...argv];
	let dbPath: string | undefined;
	const at = args.findIndex((a) => a === '--db' || a.startsWith('--db='));
	if (at >= 0) {
		if (args[at].startsWith('--db=')) {
			dbPath = args[at].slice(5);
			args.splice(at, 1);
		} else {
			dbPath = args[at + 1];
			args.splice(at, 2);
		}
		if (!dbPath) {
			io.err('错误：--db 需要一个路径');
			return 1;
		}
	}
	// --batch ID: the batch of a batch-scoped command (docs/bundle.md), wherever it stands.
	let batchId: string | undefined;
	const bat = args.findIndex((a) => a === '--batch' || a.startsWith('--batch='));
	if (bat >= 0) {
		if (args[bat].startsWith('--batch=')) {
			batchId = args[bat].slice(8);
			args.splice(bat, 1);
		} else {
			batchId = args[bat + 1];
			args.splice(bat, 2);
		}
		if (!batchId || batchId.startsWith('--')) {
			io.err('错误：--batch 需要一个批次编号');
			return 1;
		}
	}
	const [name, ...rest] = args;
	if (!name || name === 'help' || name === '--help' || name === '-h') {
		help(io);
		return name ? 0 : 1;
	}
	const command = COMMANDS.find((c) => c.name === name);
	if (!command) {
		io.err(`错误：未知命令 "${name}"（可用：${COMMANDS.map((c) => c.name).join('、')}）`);
		return 1;
	}
	if (batchId !== undefined && !command.scoped) {
		io.err(`错误：命令 ${name} 不属于某个批次，不接受 --batch`);
		return 1;
	}
	let opened: ReturnType<typeof openForCli> | undefined;
	// A command that fails changes nothing: not even by leaving a new, empty database behind.
	const file = databasePath(dbPath ?? process.env.DATABASE_URL);
	const existed = file === ':memory:' || fs.existsSync(file);
	let code = 1;
	try {
		opened = openForCli(dbPath);
		code = await command.run(rest, { ...opened, io, batchId });
		return code;
	} catch (e) {
		if (e instanceof CliError) {
			io.err(`错误：${e.message}`);
			return 1;
		}
		const msg = e instanceof Error ? e.message : String(e);
		io.err(`错误：${msg.split('\n')[0]}`);
		return 1;
	} finally {
		if (opened?.db.$client.open) opened.db.$client.close();
		if (!existed && code !== 0) for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
	}
}

const invokedDirectly = process.argv[1] && /src[\\/]cli[\\/]index\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
	main(process.argv.slice(2)).then((code) => {
		process.exitCode = code;
	});
}
