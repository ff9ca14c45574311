import { html, type HtmlValue, type SafeHtml } from "./html.ts";
import type { Language } from "./i18n.ts";
import { facts, layout, type PageContext } from "./layout.ts";
import type { LanguagePair, NodeContact, NodeSettingsData } from "./legal.queries.ts";
import { langAttribute, pickText } from "./localized.ts";
import { renderMarkdown } from "./markdown.ts";

/**
 * The legal pages every register needs (Impressum, Datenschutzerklärung, Erklärung zur
 * Barrierefreiheit): the operator's own text from the node settings, and what the software can
 * say truthfully about itself on every node (what it stores, which cookies, what it does for
 * accessibility). A missing operator text is shown as such, never invented.
 */

export type LegalPage = "imprint" | "privacy" | "accessibility";

/** Where each legal page lives; the English paths answer the same page. */
export const legalPaths: Record<LegalPage, readonly string[]> = {
  imprint: ["/impressum", "/legal-notice"],
  privacy: ["/datenschutz", "/privacy"],
  accessibility: ["/barrierefreiheit", "/accessibility"],
};

/** The operator's markdown text in the page's language (else the other one, marked with `lang`), or the hint that it is missing. */
function operatorText(context: PageContext, pair: LanguagePair | null): SafeHtml {
  const { t } = context;
  const text = pickText(pair, t.language);
  if (!text) {
    return html`<div class="notice warning" role="note">
      <p>${t.t("legalTextMissing")}</p>
      <p>${t.t("legalTextMissingStaff")}</p>
    </div>`;
  }
  return html`<section class="legal-text" ${langAttribute(t.language, text)} aria-label="${t.t("operatorDetails")}">
    ${text.language === t.language ? null : html`<p class="muted" lang="${t.language}">${t.t("legalTextOtherLanguage")}</p>`}
    ${renderMarkdown(text.text, { headingOffset: 1 })}
  </section>`;
}

function multiline(context: PageContext, pair: LanguagePair | null): HtmlValue {
  const text = pickText(pair, context.t.language);
  if (!text) return null;
  const lines = text.text.split(/\r?\n/);
  return html`<span${langAttribute(context.t.language, text)}>${lines.map((line, index) => html`${index > 0 ? html`<br />` : null}${line}`)}</span>`;
}

/** The ways to reach someone, as a definition list; null when none is given. */
export function contactFacts(context: PageContext, contact: NodeContact | null): SafeHtml | null {
  const { t } = context;
  if (!contact || (!contact.email && !contact.phone && !contact.url && !contact.address)) return null;
  return facts([
    [t.t("address"), multiline(context, contact.address)],
    [t.t("email"), contact.email ? html`<a href="mailto:${contact.email}">${contact.email}</a>` : null],
    [t.t("phone"), contact.phone ? html`<a href="tel:${contact.phone.replace(/[^0-9+]/g, "")}">${contact.phone}</a>` : null],
    [t.t("contactForm"), contact.url ? html`<a href="${contact.url}">${contact.url}</a>` : null],
  ]);
}

function operatorFacts(context: PageContext, settings: NodeSettingsData): SafeHtml {
  const { t } = context;
  const issuingBody = pickText(settings.issuingBody.name, t.language);
  const id = settings.issuingBody.organisationId;
  return html`<h2>${t.t("contactHeading")}</h2>
    ${facts([
      [t.t("issuingBody"), issuingBody ? html`<span${langAttribute(t.language, issuingBody)}>${issuingBody.text}</span>` : settings.cityName],
      [id?.scheme === "AGS" ? t.t("municipalityId") : (id?.scheme ?? ""), id?.value],
      [t.t("website"), html`<a href="${settings.website}">${settings.website}</a>`],
    ])}
    ${contactFacts(context, settings.contact) ?? html`<p>${t.t("noContactYet")}</p>`}`;
}

export function imprintPage(context: PageContext, settings: NodeSettingsData): SafeHtml {
  const { t } = context;
  return layout(
    context,
    t.t("imprintTitle"),
    html`<h1>${t.t("imprintTitle")}</h1>
      ${operatorText(context, settings.imprint)} ${operatorFacts(context, settings)}
      <h2>${t.t("othersContent")}</h2>
      <p>${t.t("othersContentText")}</p>`,
  );
}

export function privacyPage(context: PageContext, settings: NodeSettingsData): SafeHtml {
  const { t } = context;
  return layout(
    context,
    t.t("privacyTitle"),
    html`<h1>${t.t("privacyTitle")}</h1>
      ${operatorText(context, settings.privacyPolicy)}
      <h2>${t.t("whatThisRegisterProcesses")}</h2>
      ${processingFacts[t.language]} ${operatorFacts(context, settings)}`,
  );
}

export function accessibilityPage(context: PageContext, settings: NodeSettingsData): SafeHtml {
  const { t } = context;
  const feedback = settings.accessibilityContact ?? settings.contact;
  return layout(
    context,
    t.t("accessibilityTitle"),
    html`<h1>${t.t("accessibilityTitle")}</h1>
      ${operatorText(context, settings.accessibilityStatement)}
      <h2>${t.t("reportBarrier")}</h2>
      <p>${t.t("reportBarrierIntro")}</p>
      ${contactFacts(context, feedback) ?? html`<p>${t.t("noContactYet")}</p>`}
      <h2>${t.t("whatTheSoftwareDoes")}</h2>
      ${accessibilityFacts[t.language]}
      <h2>${t.t("enforcement")}</h2>
      <p>${t.t("enforcementDefault")}</p>`,
  );
}

/** What every node processes, as the software does it; kept next to the code that does it (report form, cookies, logs). */
const processingFacts: Record<Language, SafeHtml> = {
  de: html`<h3>Aufruf der Seiten</h3>
    <p>
      Der Server protokolliert jeden Aufruf mit Zeitpunkt, aufgerufener Adresse, Antwortstatus, Browserkennung (User-Agent) und IP-Adresse, um den Betrieb zu
      sichern und Angriffe zu erkennen. Anmeldedaten und Cookies werden dabei nicht protokolliert. Wie lange die Protokolle aufbewahrt werden, legt der
      Betreiber fest (siehe oben).
    </p>
    <h3>Formular „Fehler melden“</h3>
    <p>Wer einen Fehler in einem Eintrag meldet, braucht kein Konto. Gespeichert werden:</p>
    <ul>
      <li>der Eintrag, um den es geht, die gewählte Kategorie, Ihr Text (freiwillig; bitte keine persönlichen Daten) und der Zeitpunkt;</li>
      <li>
        ein verschlüsselter Prüfwert (HMAC) Ihrer IP-Adresse, bei IPv6 Ihres Netzes (/64), nie die Adresse selbst. Er dient nur dazu, höchstens 20 Meldungen je
        Minute und Adresse anzunehmen, und wird nach einem Tag gelöscht.
      </li>
    </ul>
    <p>
      Die Meldung bleibt gespeichert, solange der Betreiber die Bearbeitung nachweisen muss. Das öffentliche Moderationsprotokoll zeigt nur, was mit einer
      Meldung geschah, und die Begründung, nie Ihren Text.
    </p>
    <h3>Cookies</h3>
    <ul>
      <li><code>lang</code>: Ihre Sprachwahl, nur wenn Sie die Sprache umschalten; ein Jahr.</li>
      <li>
        <code>leitplanken-visitor</code>: eine Zufallskennung, die das Meldeformular vor Fälschung durch andere Websites schützt; bis Sie den Browser schließen.
      </li>
      <li><code>leitplanken-session</code>: nur für Mitarbeitende nach der Anmeldung; bis zur Abmeldung.</li>
    </ul>
    <p>
      Es gibt keine Cookies für Statistik, Werbung oder Tracking. Die Seiten laden nichts von anderen Servern (keine Schriften, Skripte oder Karten Dritter).
    </p>
    <h3>Weitergabe an andere Kommunen</h3>
    <p>
      Die Einträge dieses Registers sind öffentlich. Andere Kommunen, die dieser Kommune folgen, erhalten sie über das offene Protokoll ActivityPub und zeigen
      sie in ihren Registern. Die Einträge nennen verantwortliche Stellen und die Namen der Personen, die einen Einsatzfall freigegeben haben; Daten von
      Bürgerinnen und Bürgern enthalten sie nicht. Wer der Kommune aus dem Fediverse folgt (z. B. mit Mastodon), wird mit der Adresse seines Kontos als Follower
      gespeichert, bis er nicht mehr folgt.
    </p>`,
  en: html`<h3>Visiting the pages</h3>
    <p>
      The server logs every request with its time, the address requested, the response status, the browser's user agent and the IP address, to keep the service
      running and to detect attacks. Credentials and cookies are not logged. How long the logs are kept is decided by the operator (see above).
    </p>
    <h3>The "report an error" form</h3>
    <p>Reporting an error in a record needs no account. The register stores:</p>
    <ul>
      <li>the record concerned, the category chosen, your text (optional; please no personal data) and the time;</li>
      <li>
        a keyed hash (HMAC) of your IP address, for IPv6 of your network (/64), never the address itself. It serves only to accept at most 20 reports per minute
        and address, and is deleted after a day.
      </li>
    </ul>
    <p>
      The report stays stored as long as the operator must be able to show how it was handled. The public moderation log shows only what happened to a report
      and why, never your text.
    </p>
    <h3>Cookies</h3>
    <ul>
      <li><code>lang</code>: your choice of language, only when you switch it; one year.</li>
      <li><code>leitplanken-visitor</code>: a random id that protects the report form from forgery by other websites; until you close the browser.</li>
      <li><code>leitplanken-session</code>: only for staff after signing in; until they sign out.</li>
    </ul>
    <p>There are no cookies for statistics, advertising or tracking. The pages load nothing from other servers (no third-party fonts, scripts or maps).</p>
    <h3>Passing records on to other municipalities</h3>
    <p>
      The records of this register are public. Other municipalities that follow this one receive them over the open protocol ActivityPub and show them in their
      registers. The records name responsible offices and the people who vetted a use case; they contain no data about citizens. Whoever follows the
      municipality from the fediverse (e.g. with Mastodon) is stored with their account's address as a follower until they stop following.
    </p>`,
};

const accessibilityFacts: Record<Language, SafeHtml> = {
  de: html`<ul>
      <li>Jeder Seitentyp wird bei jeder Änderung der Software automatisch gegen WCAG 2.1 AA geprüft (axe-core), auch in der Breite eines Smartphones.</li>
      <li>Alle Seiten funktionieren ohne JavaScript und vollständig mit der Tastatur; ein Link am Seitenanfang springt zum Inhalt.</li>
      <li>Diagramme haben eine Tabelle mit denselben Zahlen.</li>
      <li>Texte in einer anderen Sprache als die Seite sind als solche ausgezeichnet; fehlt eine Übersetzung, erscheint der Text in der Originalsprache.</li>
    </ul>
    <p>
      Bekannte Einschränkungen: Den Inhalt der Einträge anderer Kommunen verantworten diese. Der GraphQL-Explorer für Entwickler (ein Werkzeug eines Dritten)
      ist mit Screenreadern nur eingeschränkt nutzbar; alle Inhalte gibt es auch auf den Seiten des Registers und als Download.
    </p>`,
  en: html`<ul>
      <li>Every page type is checked automatically against WCAG 2.1 AA (axe-core) with every change of the software, also at the width of a phone.</li>
      <li>All pages work without JavaScript and entirely with the keyboard; a link at the top skips to the content.</li>
      <li>Charts have a table with the same figures.</li>
      <li>Texts in another language than the page are marked as such; where a translation is missing, the text appears in its original language.</li>
    </ul>
    <p>
      Known limitations: the content of other municipalities' records is their responsibility. The GraphQL explorer for developers (a third-party tool) is only
      partly usable with screen readers; all content is also on the register's pages and in the downloads.
    </p>`,
};
