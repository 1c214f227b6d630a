import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		adapter: adapter({ out: process.env.BUILD_DIR ?? 'build' }),
		csrf: { trustedOrigins: [] },
		// The styles go inside the page (they are small: about 2 KB compressed per page): on a slow
		// link the first paint and DOMContentLoaded then wait for the HTML only, not for one more
		// round trip per stylesheet (issue 15, point 18). Scripts stay files, cached.
		inlineStyleThreshold: 32 * 1024,
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'frame-src': ['self'],
				'object-src': ['self'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['self']
			}
		}
	}
};

export default config;
