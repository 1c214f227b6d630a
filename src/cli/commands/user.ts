import type { Command } from '../context';
import { CliError, optionString, parseArgs } from '../args';
import { printJson } from '../io';
import { CLI_ACTOR } from '../../lib/server/audit';
import { UserError, createUser, listUsers, resetPassword, setUserActive } from '../../lib/server/services/users';
import { ROLES, type Role } from '../../lib/server/db/schema';

const USAGE = [
	'user add USERNAME --role office|city|expert|observer|sysadmin|secadmin|auditadmin [--name 姓名] [--region 地区键] [--expert 专家id] [--password 密码]',
	'user reset USERNAME [--password 密码]',
	'user deactivate USERNAME | user activate USERNAME',
	'user list [--json]'
].join('\n       ');

export const userCommand: Command = {
	name: 'user',
	summary: '账号管理：add、reset、deactivate、activate、list',
	usage: USAGE,
	async run(argv, { db, io }) {
		const [sub, ...rest] = argv;
		try {
			switch (sub) {
				case 'add': {
					const a = parseArgs(rest, { values: ['role', 'name', 'region', 'expert', 'password'], positional: 1 });
					const username = a.positional[0];
					if (!username || a.positional.length > 1) throw new CliError(`用法：${USAGE.split('\n')[0]}`);
					const role = optionString(a, 'role');
					if (!role || !(ROLES as readonly string[]).includes(role)) throw new CliError(`--role 应为 ${ROLES.join('、')} 之一`);
					const res = await createUser(
						db,
						{
							username,
							displayName: optionString(a, 'name') ?? username,
							role: role as Role,
							region: optionString(a, 'region') ?? null,
							expertId: optionString(a, 'expert') ?? null,
							password: optionString(a, 'password') ?? null
						},
						CLI_ACTOR
					);
					io.out(`已创建账号 ${res.username}，初始密码：${res.password}`);
					return 0;
				}
				case 'reset': {
					const a = parseArgs(rest, { values: ['password'], positional: 1 });
					const username = a.positional[0];
					if (!username || a.positional.length > 1) throw new CliError('用法：user reset USERNAME [--password 密码]');
					const pw = await resetPassword(db, username, optionString(a, 'password') ?? null, CLI_ACTOR);
					io.out(`已重置 ${username} 的密码：${pw}`);
					return 0;
				}
				case 'deactivate':
				case 'activate': {
					const a = parseArgs(rest, { positional: 1 });
					const username = a.positional[0];
					if (!username || a.positional.length > 1) throw new CliError(`用法：user ${sub} USERNAME`);
					setUserActive(db, username, sub === 'activate', CLI_ACTOR);
					io.out(`已${sub === 'activate' ? '启用' : '停用'}账号 ${username}`);
					return 0;
				}
				case 'list': {
					const a = parseArgs(rest, { flags: ['json'] });
					const list = listUsers(db);
					if (a.options.has('json')) printJson(io, { users: list });
					else
						for (const u of list)
							io.out(
								[u.username, u.roleName, u.displayName, u.regionName ?? u.expertId ?? '', u.active ? '启用' : '停用'].join('\t')
							);
					return 0;
				}
				default:
					throw new CliError(`用法：${USAGE}`);
			}
		} catch (e) {
			if (e instanceof UserError) throw new CliError(`${e.field}: ${e.message}`);
			throw e;
		}
	}
};
