/**
 * ChannelDirectory lets SLOs and symptom rules check the channels they name
 * without reading the channels table, which notify owns: notify provides it.
 * A definition naming a channel that does not exist would notify nobody, so
 * it is refused on write.
 */
export interface ChannelDirectory {
  /** missing returns the names (or ids) in `refs` that match no channel. */
  missing(refs: readonly string[]): Promise<string[]>;
}

export const CHANNEL_DIRECTORY = Symbol('CHANNEL_DIRECTORY');

/** missingChannelsMessage is the 400 text for channels that do not exist. */
export function missingChannelsMessage(missing: readonly string[]): string {
  return `channels: no channel named ${missing.map((m) => JSON.stringify(m)).join(', ')}; create it first (POST /api/v1/channels) or remove it`;
}

/**
 * ChannelUsers names the definitions (SLOs, symptom rules) that route to a
 * channel, so notify can refuse to delete a channel still in use — its alerts
 * would otherwise silently reach nobody — without reading their tables.
 */
export interface ChannelUsers {
  /** usersOf returns e.g. `SLO checkout-availability`, for definitions naming any of `refs`. */
  usersOf(refs: readonly string[]): Promise<string[]>;
}

export const CHANNEL_USERS = Symbol('CHANNEL_USERS');
