// A staff member's browser session over plain HTTP: cookies, CSRF tokens and form posts.

/** Cookies of a response, ready to send back. */
export const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");

/** The CSRF token of the first form on a page. */
export const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";

export const getPage = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers: { accept: "text/html", ...headers }, redirect: "manual" });

export const postForm = (url: string, cookie: string, body: Record<string, string>) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", cookie }, body: new URLSearchParams(body), redirect: "manual" });

/** Signs in on the node at `base` with `token`; `cookie` is the signed-in session's when it worked. */
export async function signIn(base: string, token: string) {
  const form = await getPage(`${base}/staff/sign-in`);
  const anonymousCookie = cookiesOf(form);
  const formPage = await form.text();
  const response = await postForm(`${base}/staff/sign-in`, anonymousCookie, { _csrf: csrfOf(formPage), token });
  return { form, response, cookie: cookiesOf(response) || anonymousCookie, anonymousCookie };
}
