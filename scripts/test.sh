#!/usr/bin/env bash
# Every test: unit and integration (vitest), the built server's tests (vitest), then the browser journeys (Playwright in Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
if [ ! -x /usr/bin/chromium ]; then
	echo "Chromium 不在 /usr/bin/chromium，正在用 apt-get 安装……"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# openpyxl re-saves the workbench's workbooks in tests/integration/foreign-workbooks.spec.ts (a workbook saved by another program).
if ! python3 -c 'import openpyxl' 2>/dev/null && ! /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
	echo "Python 的 openpyxl 不可用，正在用 apt-get 安装 python3-openpyxl……"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-openpyxl >/dev/null
fi

npx svelte-kit sync >/dev/null
npx vitest run
npx vite build --logLevel warn
# Against the built server: the authorization matrix, security headers, hostile form input, kill -9 durability.
npx vitest run -c vitest.server.config.ts
npx playwright test
