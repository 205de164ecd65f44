import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, UnauthorizedException, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig, Scope } from '../config/config.js';

export const SCOPE_KEY = 'burnwatch:scope';
/** RequireScope marks a route with the token scope it needs; `public` needs none. */
export const RequireScope = (scope: Scope | 'public' | 'metrics') => SetMetadata(SCOPE_KEY, scope);

/** SCOPES_OF_REQUEST is where the guard leaves the caller's scopes, for the console's session endpoint. */
export const SCOPES_OF_REQUEST = Symbol('burnwatch:scopes');
const ALL_SCOPES: Scope[] = ['read', 'write', 'ingest'];

/** scopesOf returns the scopes the guard granted this request (all of them when no token is configured). */
export function scopesOf(req: Request): Scope[] {
  return (req as unknown as Record<symbol, Scope[] | undefined>)[SCOPES_OF_REQUEST] ?? [];
}

/** digest makes every comparison the same length, so timing reveals nothing about the token. */
const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * AuthGuard checks bearer tokens against the configured scopes with a
 * constant-time comparison. Without any configured token the engine listens
 * on loopback only (enforced at boot) and every route is open.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly tokens: { digest: Buffer; scopes: Set<Scope> }[];
  private readonly metricsDigest: Buffer | undefined;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tokens = config.tokens.map((t) => ({ digest: digest(t.token), scopes: new Set(t.scopes) }));
    this.metricsDigest = config.metricsToken ? digest(config.metricsToken) : undefined;
  }

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request>();
    const declared = this.reflector.getAllAndOverride<Scope | 'public' | 'metrics' | undefined>(SCOPE_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (declared === 'public') return true;
    const presented = bearer(req.headers.authorization);
    if (declared === 'metrics') {
      if (!this.metricsDigest) return true;
      if (presented && timingSafeEqual(digest(presented), this.metricsDigest)) return true;
      throw new UnauthorizedException('a valid bearer token is required');
    }
    if (this.tokens.length === 0) {
      (req as unknown as Record<symbol, Scope[]>)[SCOPES_OF_REQUEST] = ALL_SCOPES;
      return true;
    }
    const needed: Scope = declared ?? (req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write');
    if (!presented) throw new UnauthorizedException('a bearer token is required');
    const d = digest(presented);
    let match: Set<Scope> | undefined;
    for (const t of this.tokens) {
      // Compare against every token so the time taken does not depend on which matched.
      if (timingSafeEqual(d, t.digest)) match = t.scopes;
    }
    if (!match) throw new UnauthorizedException('the bearer token is not valid');
    if (!match.has(needed)) throw new ForbiddenException(`this token lacks the ${needed} scope`);
    (req as unknown as Record<symbol, Scope[]>)[SCOPES_OF_REQUEST] = [...match];
    return true;
  }
}

function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}
