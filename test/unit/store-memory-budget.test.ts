/** STORE_MEMORY_BUDGET_MIB: the memory all copies on a worker share, checked against the block size. */
import { describe, expect, it } from 'vitest';
import { checkSettings, loadConfig } from '../../src/config';
import { createDependencies } from '../../src/dependencies';

const minimal = { AZURE_OPENAI_ENDPOINT: 'https://my-aoai.openai.azure.com/', AZURE_OPENAI_DEPLOYMENT: 'my-sora-2', VideoStorage: 'UseDevelopmentStorage=true' };
const MiB = 1024 * 1024;

describe('STORE_MEMORY_BUDGET_MIB', () => {
  it('is 64 MiB unless set: four blocks of the default 8 MiB (the other half for what copying costs besides), for every copy on the worker together', () => {
    const config = loadConfig(minimal);
    expect(config.storage).toMatchObject({ blockSizeBytes: 8 * MiB, memoryBudgetBytes: 64 * MiB, concurrency: 4 });
    expect(createDependencies(config).blockPool.stats()).toEqual({ blocks: 4, leased: 0, peakLeased: 0, waiting: 0 });
  });

  it('sets the number of blocks the copies share', () => {
    const config = loadConfig({ ...minimal, STORE_MEMORY_BUDGET_MIB: '256', STORE_BLOCK_SIZE_MIB: '16' });
    expect(createDependencies(config).blockPool.stats().blocks).toBe(8);
  });

  it('must hold at least one block, and be a number', () => {
    expect(checkSettings({ ...minimal, STORE_MEMORY_BUDGET_MIB: '4' })).toEqual({
      ok: false,
      problems: [{ setting: 'STORE_MEMORY_BUDGET_MIB', message: 'must hold at least one block of STORE_BLOCK_SIZE_MIB' }],
    });
    expect(() => loadConfig({ ...minimal, STORE_MEMORY_BUDGET_MIB: '4' })).toThrow('Invalid app settings: STORE_MEMORY_BUDGET_MIB must hold at least one block of STORE_BLOCK_SIZE_MIB');
    expect(() => loadConfig({ ...minimal, STORE_MEMORY_BUDGET_MIB: 'lots' })).toThrow('STORE_MEMORY_BUDGET_MIB must be a number');
  });
});
