export interface Session {
  authRequired: boolean;
  traceUrlTemplate: string | null;
  /** Write actions (edit, silence, retry) are shown only to a write token. */
  canWrite: boolean;
}
