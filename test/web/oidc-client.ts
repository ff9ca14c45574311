// A browser without a browser for the sign-in tests: cookies per host, redirects followed by
// hand (so a test can see and change every step), and the test provider's login page filled in.

export class CookieJar {
  readonly #cookies = new Map<string, Map<string, string>>();

  header(url: string): string {
    const cookies = this.#cookies.get(new URL(url).host) ?? new Map<string, string>();
    return [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  store(url: string, response: Response): void {
    const host = new URL(url).host;
    const cookies = this.#cookies.get(host) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((attribute) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(attribute));
      if (expired || value === "") cookies.delete(name);
      else cookies.set(name, value);
    }
    this.#cookies.set(host, cookies);
  }

  value(url: string, name: string): string | undefined {
    return this.#cookies.get(new URL(url).host)?.get(name);
  }
}

export async function get(jar: CookieJar, url: string): Promise<Response> {
  const response = await fetch(url, { headers: { cookie: jar.header(url), accept: "text/html" }, redirect: "manual" });
  jar.store(url, response);
  return response;
}

export async function post(jar: CookieJar, url: string, form: Record<string, string>): Promise<Response> {
  const response = await fetch(url, {
    method: "POST",
    headers: { cookie: jar.header(url), "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams(form),
    redirect: "manual",
  });
  jar.store(url, response);
  return response;
}

const locationOf = (response: Response, base: string) => new URL(response.headers.get("location") ?? "", base).href;

/**
 * Signs in at the provider as `login` (the development login page takes any password) and follows
 * the redirects until the provider sends the browser back to `callbackPrefix`; returns that URL.
 * `authorizationUrl` may have been changed by the test (a tampered state or nonce).
 */
export async function loginAtProvider(jar: CookieJar, authorizationUrl: string, login: string, callbackPrefix: string): Promise<string> {
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop += 1) {
    if (url.startsWith(callbackPrefix)) return url;
    const response = await get(jar, url);
    if (response.status >= 300 && response.status < 400) {
      url = locationOf(response, url);
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || !action || !page.includes('name="login"'))
      throw new Error(`unexpected page at the provider (${response.status}): ${page.slice(0, 300)}`);
    const submitted = await post(jar, new URL(action, url).href, { prompt: "login", login, password: "any" });
    url = locationOf(submitted, url);
  }
  throw new Error("too many redirects at the provider");
}
