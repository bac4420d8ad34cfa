declare module 'dynalite' {
  import type { Server } from 'node:http';
  interface DynaliteOptions {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    path?: string;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}

/** dynalite's store (what infra/local/dynalite-expiry.ts reads of it): its memory-level database. */
declare module 'dynalite/db/index.js' {
  interface DynaliteStore {
    db?: {
      iterator(options: { gte: string; lt: string; keys: false; valueEncoding: 'utf8' }): {
        nextv(size: number): Promise<[undefined, string][]>;
        close(): Promise<void>;
      };
    };
  }
  const db: { create(options: unknown): DynaliteStore };
  export default db;
}
