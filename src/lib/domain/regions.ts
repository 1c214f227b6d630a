/** The 14 cities and the Shenfu demonstration zone, keyed as in docs/bundle.md. */
export const REGIONS = [
	{ key: 'shenyang', label: '沈阳', unit: '沈阳市人力资源和社会保障局' },
	{ key: 'dalian', label: '大连', unit: '大连市人力资源和社会保障局' },
	{ key: 'anshan', label: '鞍山', unit: '鞍山市人力资源和社会保障局' },
	{ key: 'fushun', label: '抚顺', unit: '抚顺市人力资源和社会保障局' },
	{ key: 'benxi', label: '本溪', unit: '本溪市人力资源和社会保障局' },
	{ key: 'dandong', label: '丹东', unit: '丹东市人力资源和社会保障局' },
	{ key: 'jinzhou', label: '锦州', unit: '锦州市人力资源和社会保障局' },
	{ key: 'yingkou', label: '营口', unit: '营口市人力资源和社会保障局' },
	{ key: 'fuxin', label: '阜新', unit: '阜新市人力资源和社会保障局' },
	{ key: 'liaoyang', label: '辽阳', unit: '辽阳市人力资源和社会保障局' },
	{ key: 'panjin', label: '盘锦', unit: '盘锦市人力资源和社会保障局' },
	{ key: 'tieling', label: '铁岭', unit: '铁岭市人力资源和社会保障局' },
	{ key: 'chaoyang', label: '朝阳', unit: '朝阳市人力资源和社会保障局' },
	{ key: 'huludao', label: '葫芦岛', unit: '葫芦岛市人力资源和社会保障局' },
	{ key: 'shenfu', label: '沈抚示范区', unit: '沈抚示范区党建工作部' }
] as const;

export type RegionKey = (typeof REGIONS)[number]['key'];
export const REGION_KEYS = REGIONS.map((r) => r.key) as [RegionKey, ...RegionKey[]];

const byKey = new Map<string, (typeof REGIONS)[number]>(REGIONS.map((r) => [r.key, r]));

export function regionLabel(key: string): string {
	return byKey.get(key)?.label ?? key;
}
export function regionUnit(key: string): string {
	return byKey.get(key)?.unit ?? key;
}
export function isRegionKey(key: string): key is RegionKey {
	return byKey.has(key);
}
