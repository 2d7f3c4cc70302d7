import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // The e2e files each build a Nuxt app: two at a time is what two cores take.
    maxWorkers: 2,
    projects: [
      // `npm run test:unit`: test/unit mirrors src/runtime; no emulator, no Nuxt build.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', '**/node_modules/**'],
          // The Cognito emulator and the local AWS stand-ins, started once for every e2e file.
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
})
