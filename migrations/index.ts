import { RedTables1795312800000 } from './1795312800000-RedTables.js';
import { Slos1795312900000 } from './1795312900000-Slos.js';
import { Alerts1795313000000 } from './1795313000000-Alerts.js';
import { Notifications1795313100000 } from './1795313100000-Notifications.js';
import { AlertmanagerChannels1795313400000 } from './1795313400000-AlertmanagerChannels.js';
import { DenseHistograms1795313600000 } from './1795313600000-DenseHistograms.js';
import { DropPromBuckets1795313700000 } from './1795313700000-DropPromBuckets.js';
import { HotUpdates1795313700001 } from './1795313700001-HotUpdates.js';
import { SliChangeMarkers1795313200000 } from './1795313200000-SliChangeMarkers.js';
import { CompactSloStatus1795313200001 } from './1795313200001-CompactSloStatus.js';
import { SliPrunes1795314100000 } from './1795314100000-SliPrunes.js';

/**
 * MIGRATIONS lists every migration class explicitly: an ESM build cannot
 * rely on TypeORM's glob loading of .ts files, and an explicit list makes
 * the order reviewable.
 */
export const MIGRATIONS = [
  RedTables1795312800000,
  Slos1795312900000,
  Alerts1795313000000,
  Notifications1795313100000,
  SliChangeMarkers1795313200000,
  CompactSloStatus1795313200001,
  AlertmanagerChannels1795313400000,
  DenseHistograms1795313600000,
  DropPromBuckets1795313700000,
  HotUpdates1795313700001,
  SliPrunes1795314100000,
];
