import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'netsuite-sync',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
