/**
 * An entity's id as the Durable extension schedules it: `@{name}@{key}`, the
 * name lower-cased (entity names are case-insensitive, keys are not). The
 * SDK puts this form in CallEntity/SignalEntity actions (`instanceId`).
 */
export interface EntityAddress {
  name: string;
  key: string;
}

export function schedulerIdOf(address: EntityAddress): string {
  return `@${address.name.toLowerCase()}@${address.key}`;
}

export function isSchedulerId(instanceId: string): boolean {
  return instanceId.startsWith('@') && instanceId.indexOf('@', 1) > 1;
}

/** The address a scheduler id names; the key may itself contain '@'. */
export function addressOf(schedulerId: string): EntityAddress {
  const at = schedulerId.indexOf('@', 1);
  if (!schedulerId.startsWith('@') || at <= 1) throw new Error(`'${schedulerId}' is not an entity id.`);
  return { name: schedulerId.slice(1, at), key: schedulerId.slice(at + 1) };
}
