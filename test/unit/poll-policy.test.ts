import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import type { VideoSpec } from '../../src/contracts/orchestration';
import { buildGenerationInput } from '../../src/orchestrations/generation-input';

const minimal = { AZURE_OPENAI_ENDPOINT: 'https://my-aoai.openai.azure.com/', SORA_API: 'jobs', AZURE_OPENAI_DEPLOYMENT: 'my-sora', VideoStorage: 'UseDevelopmentStorage=true' };
const spec: VideoSpec = { api: 'jobs', prompt: 'A lighthouse at dusk', width: 1920, height: 1080, nSeconds: 20, nVariants: 1 };

function pollOf(env: Record<string, string>) {
  return buildGenerationInput('req-1', spec, loadConfig({ ...minimal, ...env }), new Date(0)).policy.poll;
}

describe('the poll policy the starter resolves', () => {
  it("starts from the service's typical duration for the size and length, learning per deployment and shape", () => {
    expect(pollOf({})).toEqual({
      minDelayMs: 5_000,
      maxDelayMs: 60_000,
      expectedDurationMs: 300_000,
      expectedFrom: 'typical',
      learning: { entityKey: 'jobs:my-sora', shape: { size: '1920x1080', seconds: 20, variants: 1 } },
    });
  });

  it('starts from POLL_EXPECTED_JOB_SECONDS when set', () => {
    expect(pollOf({ POLL_EXPECTED_JOB_SECONDS: '60' })).toMatchObject({ expectedDurationMs: 60_000, expectedFrom: 'setting' });
  });
});
