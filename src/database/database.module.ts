import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * DatabaseModule hands the already-initialised DataSource to the app. main.ts
 * owns its lifecycle (open before the app, close after it), so in-flight
 * work can still commit while the app shuts down. It is global, as TypeORM's
 * forRoot is: every module's repositories take this one DataSource, and a
 * module built by forRoot cannot be imported again by its class.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(dataSource: DataSource): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DataSource, useValue: dataSource }],
      exports: [DataSource],
    };
  }
}
