/** Cleanly synced seeds for the self-checks of the checks, each closed after its test. */
import { syncCleanly } from './run-seed';

/** `sync(seed)` inside a test (the seed last synced is the one closed), `close` as the block's `afterEach`. */
export function cleanSyncs(): { sync: (seed: number) => ReturnType<typeof syncCleanly>; close: () => Promise<void> } {
  let open: (() => Promise<void>) | undefined;
  return {
    sync: async (seed) => {
      const synced = await syncCleanly(seed);
      open = synced.close;
      return synced;
    },
    close: async () => {
      await open?.();
      open = undefined;
    },
  };
}
