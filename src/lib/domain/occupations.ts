/** The ten occupations of the notice (职业目录), keyed as in docs/bundle.md. */
export const OCCUPATIONS = [
	{ key: 'ai', label: '人工智能工程技术人员', short: '人工智能' },
	{ key: 'iot', label: '物联网工程技术人员', short: '物联网' },
	{ key: 'bigdata', label: '大数据工程技术人员', short: '大数据' },
	{ key: 'cloud', label: '云计算工程技术人员', short: '云计算' },
	{ key: 'smart-manufacturing', label: '智能制造工程技术人员', short: '智能制造' },
	{ key: 'industrial-internet', label: '工业互联网工程技术人员', short: '工业互联网' },
	{ key: 'vr', label: '虚拟现实工程技术人员', short: '虚拟现实' },
	{ key: 'blockchain', label: '区块链工程技术人员', short: '区块链' },
	{ key: 'ic', label: '集成电路工程技术人员', short: '集成电路' },
	{ key: 'digital-management', label: '数字化管理师', short: '数字化管理' }
] as const;

export type OccupationKey = (typeof OCCUPATIONS)[number]['key'];
export const OCCUPATION_KEYS = OCCUPATIONS.map((o) => o.key) as [OccupationKey, ...OccupationKey[]];

const byKey = new Map<string, (typeof OCCUPATIONS)[number]>(OCCUPATIONS.map((o) => [o.key, o]));

export function occupationLabel(key: string): string {
	return byKey.get(key)?.label ?? key;
}
export function occupationShort(key: string): string {
	return byKey.get(key)?.short ?? key;
}
export function isOccupationKey(key: string): key is OccupationKey {
	return byKey.has(key);
}
