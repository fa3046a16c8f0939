import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import type { VideoSpec } from '../../src/contracts/orchestration';
import { buildGenerationInput } from '../../src/orchestrations/generation-input';

const minimal = { AZURE_OPENAI_ENDPOINT: 'https://my-aoai.openai.azure.com/', SORA_API: 'jobs', AZURE_OPENAI_DEPLOYMENT: 'my-sora', VideoStorage: 'UseDevelopmentStorage=true' };
const spec: VideoSpec = { api: 'jobs', prompt: 'A lighthouse at dusk', width: 480, height: 480, nSeconds: 5, nVariants: 1 };

function admissionOf(env: Record<string, string>) {
  return buildGenerationInput('req-1', spec, loadConfig({ ...minimal, ...env }), new Date(0)).policy.admission;
}

describe('the admission policy the starter resolves', () => {
  it('shares two slots per deployment by default, each held at most 30 minutes past the deadline', () => {
    expect(admissionOf({})).toEqual({ limiterKey: 'jobs:my-sora', capacity: 2, leaseMs: 60 * 60_000, recheckMs: 60_000 });
  });

  it('follows the capacity, the deployment and the deadline settings', () => {
    expect(admissionOf({ ADMISSION_CAPACITY: '5', AZURE_OPENAI_DEPLOYMENT: 'sora-east', JOB_DEADLINE_MINUTES: '90' })).toEqual({
      limiterKey: 'jobs:sora-east',
      capacity: 5,
      leaseMs: 120 * 60_000,
      recheckMs: 60_000,
    });
  });

  it('is off with capacity 0: the request submits at once and retries on 429', () => {
    expect(admissionOf({ ADMISSION_CAPACITY: '0' })).toBeNull();
  });

  it.each(['-1', '1.5', 'two'])('rejects ADMISSION_CAPACITY=%s naming the setting', (value) => {
    expect(() => loadConfig({ ...minimal, ADMISSION_CAPACITY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...minimal, ADMISSION_CAPACITY: value })).toThrow('ADMISSION_CAPACITY');
  });
});
