import { describe, expect, it } from "@jest/globals";
import { Endpoints, Organization } from "@fedify/vocab";
import { deliverableInboxes, isPublicUrl } from "./public-url.ts";

// Public hosts are IP literals so that the test needs no DNS.
const publicV4 = "https://93.184.215.14/inbox";
const publicV6 = "https://[2606:4700:4700::1111]/inbox";

describe("isPublicUrl", () => {
  it.each([
    ["loopback v4", "http://127.0.0.1:8080/actors/a/inbox"],
    ["localhost", "http://localhost/inbox"],
    ["private 10/8", "http://10.0.0.5/inbox"],
    ["private 172.16/12", "http://172.16.0.1/inbox"],
    ["private 192.168/16", "http://192.168.1.1/inbox"],
    ["link-local v4 (cloud metadata)", "http://169.254.169.254/latest/meta-data"],
    ["unspecified v4", "http://0.0.0.0/inbox"],
    ["loopback v6", "http://[::1]/inbox"],
    ["link-local v6", "http://[fe80::1]/inbox"],
    ["unique local v6", "http://[fd00::1]/inbox"],
    ["v4-mapped loopback", "http://[::ffff:127.0.0.1]/inbox"],
    ["not http", "ftp://93.184.215.14/inbox"],
  ])("refuses %s", async (_name, url) => {
    expect(await isPublicUrl(new URL(url), false)).toBe(false);
    expect(await isPublicUrl(new URL(url), undefined)).toBe(false);
  });

  it.each([publicV4, publicV6])("allows the public address %s", async (url) => {
    expect(await isPublicUrl(new URL(url), false)).toBe(true);
  });

  it("allows private and loopback addresses when allowPrivateAddress is on", async () => {
    expect(await isPublicUrl(new URL("http://127.0.0.1:8080/inbox"), true)).toBe(true);
    expect(await isPublicUrl(new URL("http://[fe80::1]/inbox"), true)).toBe(true);
  });
});

describe("deliverableInboxes", () => {
  const actor = (inbox: string | null, sharedInbox: string | null) =>
    new Organization({
      id: new URL("https://93.184.215.14/actors/a"),
      inbox: inbox ? new URL(inbox) : null,
      endpoints: sharedInbox ? new Endpoints({ sharedInbox: new URL(sharedInbox) }) : null,
    });

  it("returns a public inbox and shared inbox", async () => {
    expect(await deliverableInboxes(actor(publicV4, publicV6), false)).toEqual({ inbox: new URL(publicV4), sharedInbox: new URL(publicV6) });
    expect(await deliverableInboxes(actor(publicV4, null), false)).toEqual({ inbox: new URL(publicV4), sharedInbox: null });
  });

  it("refuses the actor when its inbox or its shared inbox is private, or it has no inbox", async () => {
    expect(await deliverableInboxes(actor("http://127.0.0.1:3000/inbox", null), false)).toBeNull();
    expect(await deliverableInboxes(actor(publicV4, "http://10.1.2.3/inbox"), false)).toBeNull();
    expect(await deliverableInboxes(actor(null, publicV6), false)).toBeNull();
  });

  it("keeps private inboxes when allowPrivateAddress is on", async () => {
    expect(await deliverableInboxes(actor("http://127.0.0.1:3000/inbox", "http://127.0.0.1:3000/inbox"), true)).toEqual({
      inbox: new URL("http://127.0.0.1:3000/inbox"),
      sharedInbox: new URL("http://127.0.0.1:3000/inbox"),
    });
  });
});
