// What a citizen reads first on a use case (the plain-language box built from its fields), the
// archive of retired use cases, and the statistics counted the way the page labels them.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { getPage } from "./staff-session.ts";
import { editorToken, startWebNode, type WebNode } from "./web-node.ts";

let node: WebNode;
beforeAll(async () => {
  node = await startWebNode();
});
afterAll(async () => {
  await node?.close();
});

const squash = (page: string) => page.replace(/\s+/g, " ").replace(/ >/g, ">").replace(/> </g, "><");
const text = async (path: string, status = 200) => {
  const response = await getPage(`${node.url}${path}`);
  expect({ path, status: response.status }).toEqual({ path, status });
  return squash(await response.text());
};
/** The box "at a glance" of a page, or "" when there is none. */
const glance = (page: string) => {
  const start = page.indexOf('<section class="glance"');
  return start < 0 ? "" : page.slice(start, page.indexOf("</section>", start));
};
async function graphql<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(`${node.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

describe("the box at the top of a use case", () => {
  it("answers what it does, whether it affects me, who decides and how to object, in the visitor's language", async () => {
    const page = await text("/use-cases/buergerservice-chatbot?lang=de");
    const box = glance(page);
    expect(page.indexOf('<section class="glance"')).toBeLessThan(page.indexOf("<h2>Entscheidungsprozess</h2>"));
    expect(box).toContain('<h2 id="glance-heading">Auf einen Blick</h2>');
    expect(box).toContain("<dt>Was macht die KI?</dt>");
    expect(box).toContain("<dt>Betrifft mich das?</dt><dd>Ja. Die Anwendung wirkt direkt auf Bürgerinnen und Bürger.</dd>");
    expect(box).toContain("Menschen. Die KI liefert nur Informationen.");
    expect(box).toContain("Jede Antwort nennt Telefon und E-Mail des Bürgerservice.");
    expect(box).toContain('href="#report-heading"');
    expect(page).toContain('id="report-heading"');
    const english = glance(await text("/use-cases/buergerservice-chatbot?lang=en"));
    expect(english).toContain("At a glance");
    expect(english).toContain("<dt>Does it affect me?</dt><dd>Yes. The application acts directly on citizens.</dd>");
    expect(english).toContain("People. The AI only provides information.");
  });

  it("follows the record's fields: an internal tool where a person approves each step, without an appeal path of its own", async () => {
    const box = glance(await text("/use-cases/posteingang-zuordnung?lang=de"));
    expect(box).toContain("Nicht direkt. Die Anwendung unterstützt die Arbeit der Verwaltung");
    expect(box).toContain("Ein Mensch gibt jeden Schritt frei, den die KI vorbereitet.");
    expect(box).toContain("Die Kommune hat keinen eigenen Weg angegeben.");
    expect(box).toContain('<a href="mailto:posteingang@example.org">posteingang@example.org</a>');
    expect(box).toContain("Verantwortlich: ");
  });
});

describe("texts in another language than the page", () => {
  it("carry their own lang (WCAG 3.1.2): a German-only purpose on the English page", async () => {
    const { useCase } = await graphql<{ useCase: { purpose: { text: string; language: string } } }>(
      `
        query ($id: ID!) {
          useCase(id: $id) {
            purpose {
              text(lang: "en")
              language: lang(lang: "en")
            }
          }
        }
      `,
      { id: `${node.url}/use-cases/posteingang-zuordnung` },
    );
    expect(useCase.purpose).toEqual({ text: "Schnellere Bearbeitung, weniger Irrläufer.", language: "de" });
    const english = await text("/use-cases/posteingang-zuordnung?lang=en");
    expect(glance(english)).toContain('<dd><span lang="de">Schnellere Bearbeitung, weniger Irrläufer.</span></dd>');
    // Texts in the page's own language stay unmarked.
    expect(english).toContain("<h1>Routing of incoming digital mail</h1>");
    const german = await text("/use-cases/posteingang-zuordnung?lang=de");
    expect(german).toContain("<dd>Schnellere Bearbeitung, weniger Irrläufer.</dd>");
    expect(german).not.toContain('lang="de">Schnellere');
  });
});

describe("the archive", () => {
  it("keeps a retired use case public, dated, and off the home page", async () => {
    const id = `${node.url}/use-cases/strassenschaeden-erkennung`;
    const { useCase } = await graphql<{ useCase: { lockVersion: number } }>(
      `
        query ($id: ID!) {
          useCase(id: $id) {
            lockVersion
          }
        }
      `,
      { id },
      editorToken,
    );
    const retired = await graphql<{ retireUseCase: { __typename: string } }>(
      `
        mutation ($id: ID!, $lockVersion: Int!) {
          retireUseCase(id: $id, lockVersion: $lockVersion) {
            __typename
          }
        }
      `,
      { id, lockVersion: useCase.lockVersion },
      editorToken,
    );
    expect(retired.retireUseCase.__typename).toBe("UseCaseSuccess");

    const archive = await text("/archiv?lang=de");
    expect(archive).toContain("<h1>Archiv: eingestellte KI-Anwendungen</h1>");
    expect(archive).toContain('href="/use-cases/strassenschaeden-erkennung"');
    expect(archive).toMatch(/Eingestellt am \d/);
    expect(archive).not.toContain('href="/use-cases/buergerservice-chatbot"');
    const home = await text("/?lang=de");
    expect(home).not.toContain('href="/use-cases/strassenschaeden-erkennung"');
    expect(home).toContain('href="/archive"');
    const page = await text("/use-cases/strassenschaeden-erkennung?lang=en");
    expect(page).toContain("This use case is no longer in operation.");
    expect(glance(page)).toContain("As of: ");
    // A made-up page of the archive is the visitor's mistake, not ours.
    expect(await text("/archive?after=bm9uc2Vuc2U", 400)).toContain("Diese Anfrage ist ungültig");
    expect(node.unexpectedErrors).toEqual([]);
  });
});

describe("the statistics", () => {
  it("count the municipalities the table lists and list as reused only models in more than one use case", async () => {
    const page = await text("/statistics?lang=de");
    const rows = page.slice(page.indexOf("<h2>Kommunen im Netzwerk</h2>")).match(/<th scope="row">/g)?.length ?? 0;
    const { cities } = await graphql<{ cities: { actor: string }[] }>("{ cities { actor } }", {});
    expect(rows).toBe(cities.length);
    expect(page).toContain(`<dt>Kommunen</dt><dd>${cities.length}</dd>`);
    const { networkStatistics } = await graphql<{ networkStatistics: { modelReuse: { modelId: string; useCases: number }[] } }>(
      "{ networkStatistics { modelReuse { modelId useCases } } }",
      {},
    );
    const reuse = page.slice(page.indexOf("<h2>Mehrfach genutzte Modelle</h2>"), page.indexOf("<h2>Kommunen im Netzwerk</h2>"));
    // The API lists every model with its count; the demo has models used once or not at all.
    const reused = networkStatistics.modelReuse.filter((entry) => entry.useCases > 1);
    expect(reused.length).toBeLessThan(networkStatistics.modelReuse.length);
    const reusedRows = reuse.match(/<th scope="row">/g)?.length ?? 0;
    expect(reusedRows).toBe(reused.length);
  });
});
