// The signed-in person, and what the server offers before sign-in.
import { ApiError, get, post, setCSRF, type Me, type User } from "./api";
import { setZone } from "./time";

class Session {
  user = $state<User | null>(null);
  loading = $state(true);

  async load() {
    try {
      const me = await get<Me>("/api/v1/me");
      this.signedIn(me, me.csrf_token || "");
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) throw e;
      this.user = null;
    } finally {
      this.loading = false;
    }
  }

  signedIn(u: User, csrf: string) {
    setCSRF(csrf);
    setZone(u.time_zone);
    this.user = u;
  }

  async signOut() {
    await post("/api/v1/auth/logout");
    setCSRF("");
    this.user = null;
  }
}

export const session = new Session();
