#!/usr/bin/env bash
# Every test: unit and integration (vitest), the built server's tests (vitest), then the browser journeys (Playwright in Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
	echo "Chromium 不在 /usr/bin/chromium，正在用 apt-get 安装……"
	if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

npx svelte-kit sync >/dev/null
npx vitest run
npx vite build --logLevel warn
# Against the built server: the authorization matrix, security headers, hostile form input, kill -9 durability.
npx vitest run -c vitest.server.config.ts
npx playwright test
