// Shopify sessions in our database through the library's Drizzle adapter, with the access tokens encrypted at rest.
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { DrizzleSessionStoragePostgres } from "@shopify/shopify-app-session-storage-drizzle";
import type { Db } from "../../db/client.server";
import { sessions } from "../../db/schema";
import { decryptSecret, encryptSecret, isEncryptedSecret } from "../../crypto.server";

export class EncryptedSessionStorage implements SessionStorage {
  private readonly inner: DrizzleSessionStoragePostgres;
  constructor(db: Db, private readonly keyBase64: string) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    this.inner = new DrizzleSessionStoragePostgres(db as any, sessions as any);
  }

  private map(session: Session, fn: (v: string) => string): Session {
    const obj = session.toObject();
    if (obj.accessToken) obj.accessToken = fn(obj.accessToken);
    if (obj.refreshToken) obj.refreshToken = fn(obj.refreshToken);
    return new Session(obj);
  }

  storeSession(session: Session) {
    return this.inner.storeSession(this.map(session, (v) => encryptSecret(v, this.keyBase64)));
  }
  async loadSession(id: string) {
    const s = await this.inner.loadSession(id);
    return s && this.map(s, (v) => (isEncryptedSecret(v) ? decryptSecret(v, this.keyBase64) : v));
  }
  deleteSession(id: string) {
    return this.inner.deleteSession(id);
  }
  deleteSessions(ids: string[]) {
    return this.inner.deleteSessions(ids);
  }
  async findSessionsByShop(shop: string) {
    const list = await this.inner.findSessionsByShop(shop);
    return list.map((s) => this.map(s, (v) => (isEncryptedSecret(v) ? decryptSecret(v, this.keyBase64) : v)));
  }
}
