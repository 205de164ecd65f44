import { MigrationInterface, QueryRunner } from 'typeorm';

/** AlertmanagerChannels: a channel may push to Alertmanager's v2 API (issue 15). */
export class AlertmanagerChannels1795313400000 implements MigrationInterface {
  name = 'AlertmanagerChannels1795313400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channels DROP CONSTRAINT channels_type_check`);
    await q.query(`ALTER TABLE channels ADD CONSTRAINT channels_type_check CHECK (type IN ('slack', 'email', 'webhook', 'alertmanager'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM channels WHERE type = 'alertmanager'`);
    await q.query(`ALTER TABLE channels DROP CONSTRAINT channels_type_check`);
    await q.query(`ALTER TABLE channels ADD CONSTRAINT channels_type_check CHECK (type IN ('slack', 'email', 'webhook'))`);
  }
}
